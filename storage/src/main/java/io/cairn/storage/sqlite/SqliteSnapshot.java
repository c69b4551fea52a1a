package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * A consistent copy of a journal database taken beside a server that may be writing it ({@code
 * cairn backup}): one read transaction over a read-only connection, written out by SQLite's {@code
 * VACUUM INTO}, so the copy holds every transaction committed before it began and none after.
 */
public final class SqliteSnapshot {
  private SqliteSnapshot() {}

  /**
   * Writes the database in {@code db} as it stands now to the new file {@code into} (which must not
   * exist) and returns its size in bytes. Writers are not blocked: the WAL keeps their commits apart
   * from the snapshot being read. Fails with INTERNAL when {@code db} is missing or cannot be read,
   * or {@code into} cannot be written.
   */
  public static long write(Path db, Path into) {
    Path source = db.toAbsolutePath();
    if (!Files.isRegularFile(source)) {
      throw new CairnException(CairnException.Kind.INTERNAL, "no journal database at " + source);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source, config.toProperties());
        Statement s = c.createStatement()) {
      s.execute("VACUUM INTO '" + into.toAbsolutePath().toString().replace("'", "''") + "'");
      return Files.size(into);
    } catch (SQLException | java.io.IOException e) {
      throw new CairnException(CairnException.Kind.INTERNAL,
          "cannot copy the journal " + source + " to " + into + ": " + e.getMessage(), e);
    }
  }
}
