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
  private boolean inTransaction;

  private SqliteConnection(Connection jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Opens a connection in WAL mode with full sync (an acknowledged commit must survive a power
   * cut). Every unit of work brackets itself with {@link #begin} and {@link #commit} or {@link
   * #rollbackQuietly}, run through cached statements: the driver's own commit and rollback prepare
   * two statements each time and open the next (deferred) transaction at once.
   */
  static SqliteConnection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    // Waits for another connection's write lock; applies to BEGIN IMMEDIATE (see begin).
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // Otherwise the driver prepares and runs "SELECT last_insert_rowid()" after every INSERT.
    config.setGetGeneratedKeys(false);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    try (Statement s = c.createStatement()) {
      if (readOnly) {
        s.execute("PRAGMA query_only = 1");
      }
      // Manual-commit mode spares a "begin;" and "commit;" step that the driver runs after every
      // statement in auto-commit mode. It opens a transaction of its own here, ended at once:
      // from now on only begin() opens one.
      c.setAutoCommit(false);
      try {
        s.execute("ROLLBACK");
      } catch (SQLException noTransaction) {
        // A driver version that opens its transaction lazily: nothing to end.
      }
    }
    return new SqliteConnection(c);
  }

  /**
   * Starts a transaction. A writing one is IMMEDIATE: it takes the write lock at once, waiting up
   * to the busy timeout for another connection (the user store, a CLI) to release it. A deferred
   * transaction would take a read snapshot first and then fail at once with SQLITE_BUSY (or
   * SQLITE_BUSY_SNAPSHOT) when upgrading to write, as SQLite never waits on an upgrade.
   */
  void begin(boolean write) throws SQLException {
    bind(write ? "BEGIN IMMEDIATE" : "BEGIN").execute();
    inTransaction = true;
  }

  /** Commits the transaction {@link #begin} started. */
  void commit() throws SQLException {
    bind("COMMIT").execute();
    inTransaction = false;
  }

  /**
   * Ends the current transaction, if any, undoing its writes; never throws (used on paths that
   * already failed, and to end read transactions).
   */
  void rollbackQuietly() {
    if (!inTransaction) {
      return;
    }
    inTransaction = false;
    try {
      bind("ROLLBACK").execute();
    } catch (SQLException ignored) {
      // A failed COMMIT may already have rolled back; else the next unit of work reports it.
    }
  }

  /** Runs a statement that is not worth keeping prepared (DDL). */
  void execute(String sql) throws SQLException {
    try (Statement s = jdbc.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs a statement without parameters that is run often enough to keep (savepoints). */
  void run(String sql) throws SQLException {
    bind(sql).execute();
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
