package io.cairn.storage.sqlite;

import io.cairn.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * One JDBC connection to the journal's database with its prepared statements kept for reuse.
 * Confined to one thread at a time (the writer, or the reader that took it from the pool).
 */
final class SqliteConnection implements AutoCloseable {

  /** Maps the current row of a result set to a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection jdbc;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private SqliteConnection(Connection jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Opens a connection in WAL mode with full sync (an acknowledged commit must survive a power
   * cut) and in manual-commit mode: every unit of work ends with commit or rollback.
   */
  static SqliteConnection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    try (Statement s = c.createStatement()) {
      if (readOnly) {
        s.execute("PRAGMA query_only = 1");
      }
    }
    c.setAutoCommit(false);
    return new SqliteConnection(c);
  }

  Connection jdbc() {
    return jdbc;
  }

  /** Runs a statement that is not worth preparing (DDL, savepoints). */
  void execute(String sql) throws SQLException {
    try (Statement s = jdbc.createStatement()) {
      s.execute(sql);
    }
  }

  int update(String sql, Object... args) throws SQLException {
    return bind(sql, args).executeUpdate();
  }

  /** The first row mapped, or null when there is none. */
  <T> T one(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    try (ResultSet rs = bind(sql, args).executeQuery()) {
      return rs.next() ? mapper.map(rs) : null;
    }
  }

  <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = bind(sql, args).executeQuery()) {
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
    }
    return out;
  }

  /** The first column of the first row as a long; 0 when it is NULL or there is no row. */
  long number(String sql, Object... args) throws SQLException {
    Long v = one(sql, rs -> rs.getLong(1), args);
    return v == null ? 0 : v;
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = jdbc.prepareStatement(sql);
      statements.put(sql, ps);
    }
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  void commit() throws SQLException {
    jdbc.commit();
  }

  /** Ends the current transaction; never throws (used on paths that already failed). */
  void rollbackQuietly() {
    try {
      jdbc.rollback();
    } catch (SQLException ignored) {
      // The connection is unusable anyway; the next unit of work reports it.
    }
  }

  @Override
  public void close() {
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      jdbc.close();
    } catch (SQLException e) {
      throw internal("closing the journal database", e);
    }
  }

  /** The storage failure a database error stands for: a full disk, a busy file, or a fault. */
  static StorageException internal(String what, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    StorageException.Kind kind;
    if (code == SQLiteErrorCode.SQLITE_FULL.code) {
      kind = StorageException.Kind.INSUFFICIENT_STORAGE;
    } else if (code == SQLiteErrorCode.SQLITE_BUSY.code
        || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
      kind = StorageException.Kind.TRANSIENT;
    } else {
      kind = StorageException.Kind.INTERNAL;
    }
    return new StorageException(kind, what + ": " + e.getMessage(), e);
  }
}
