package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * One JDBC connection to the journal's database with its prepared statements kept for reuse.
 * Confined to one thread at a time (the writer, or the reader that took it from the pool).
 *
 * <p>Statements are prepared through JDBC but run through the driver's {@link DB} (public, in
 * {@code org.sqlite.core}): its {@code ResultSet} asks SQLite for every column's name on every
 * query, which cost more than a whole point lookup; a {@link Row} reads columns by index only.
 */
final class SqliteConnection implements AutoCloseable {
  private static final int SQLITE_ROW = 100;
  private static final int SQLITE_DONE = 101;
  private static final int SQLITE_NULL = 5;
  private static final Object[] NO_ARGS = {};

  /** Maps the current row of a query to a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(Row row) throws SQLException;
  }

  /** Takes the current row of a query; false stops the query there. */
  @FunctionalInterface
  interface RowVisitor {
    boolean visit(Row row) throws SQLException;
  }

  /** The current row of a query; columns count from 1, as in JDBC. */
  static final class Row {
    private final DB db;
    private final long ptr;

    private Row(DB db, long ptr) {
      this.db = db;
      this.ptr = ptr;
    }

    boolean isNull(int column) throws SQLException {
      return db.column_type(ptr, column - 1) == SQLITE_NULL;
    }

    /**
     * The text, or null for NULL. Read as the value's UTF-8 bytes and decoded here: the driver's
     * {@code column_text} makes a direct ByteBuffer through JNI for every value, which cost about a
     * tenth of a large PROPFIND's CPU; a byte array is far cheaper to hand over.
     */
    String getString(int column) throws SQLException {
      byte[] utf8 = db.column_blob(ptr, column - 1);
      return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    /** The integer, or 0 for NULL. */
    long getLong(int column) throws SQLException {
      return db.column_long(ptr, column - 1);
    }

    int getInt(int column) throws SQLException {
      return db.column_int(ptr, column - 1);
    }

    /** The bytes, or null for NULL. */
    byte[] getBytes(int column) throws SQLException {
      return db.column_blob(ptr, column - 1);
    }
  }

  /** A prepared statement and its native handle. */
  private record Prepared(PreparedStatement jdbc, long ptr) {}

  private final Connection jdbc;
  private final DB db;
  private final Map<String, Prepared> statements = new HashMap<>();
  private boolean inTransaction;

  private SqliteConnection(Connection jdbc) {
    this.jdbc = jdbc;
    this.db = ((SQLiteConnection) jdbc).getDatabase();
  }

  /**
   * The database holds password hashes: it is created readable by its owner only (0600, where the
   * file system has POSIX permissions), and a looser existing file is tightened. SQLite gives its
   * -wal and -shm files the database's permissions.
   */
  private static void ownerOnly(Path file) throws SQLException {
    try {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
      } else if (!java.nio.file.Files.getPosixFilePermissions(file).equals(owner)) {
        java.nio.file.Files.setPosixFilePermissions(file, owner);
      }
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions here (Windows): the folder's ACL protects it
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // created meanwhile by another connection: it set the permissions
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + file + " readable by its owner only: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a connection in WAL mode with full sync (an acknowledged commit must survive a power
   * cut). Every unit of work brackets itself with {@link #begin} and {@link #commit} or {@link
   * #rollbackQuietly}, run through cached statements: the driver's own commit and rollback prepare
   * two statements each time and open the next (deferred) transaction at once.
   */
  static SqliteConnection open(Path file, boolean readOnly) throws SQLException {
    if (!readOnly) {
      ownerOnly(file);
    }
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
    update(write ? "BEGIN IMMEDIATE" : "BEGIN");
    inTransaction = true;
  }

  /** Whether a transaction {@link #begin} started is still open (not committed or rolled back). */
  boolean inTransaction() {
    return inTransaction;
  }

  /** Commits the transaction {@link #begin} started. */
  void commit() throws SQLException {
    update("COMMIT");
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
      update("ROLLBACK");
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
    update(sql, NO_ARGS);
  }

  /** Runs a statement that returns no rows; the number of rows it changed. */
  int update(String sql, Object... args) throws SQLException {
    Prepared st = start(sql, args);
    finish(st);
    return (int) db.changes();
  }

  /** The first row mapped, or null when there is none. */
  <T> T one(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    Prepared st = start(sql, args);
    try {
      return st == null ? null : mapper.map(new Row(db, st.ptr));
    } finally {
      finish(st);
    }
  }

  <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> out = new ArrayList<>();
    Prepared st = start(sql, args);
    try {
      if (st == null) {
        return out;
      }
      Row row = new Row(db, st.ptr);
      int rc = SQLITE_ROW;
      while (rc == SQLITE_ROW) {
        out.add(mapper.map(row));
        rc = db.step(st.ptr);
      }
      if (rc != SQLITE_DONE) {
        db.throwex(rc);
      }
      return out;
    } finally {
      finish(st);
    }
  }

  /**
   * Hands the rows to {@code visitor} in order until it returns false or they run out: a query
   * whose reader may stop early reads no row past where it stopped.
   */
  void each(String sql, RowVisitor visitor, Object... args) throws SQLException {
    Prepared st = start(sql, args);
    try {
      if (st == null) {
        return;
      }
      Row row = new Row(db, st.ptr);
      int rc = SQLITE_ROW;
      while (rc == SQLITE_ROW && visitor.visit(row)) {
        rc = db.step(st.ptr);
      }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db.throwex(rc);
      }
    } finally {
      finish(st);
    }
  }

  /** The first column of the first row as a long; 0 when it is NULL or there is no row. */
  long number(String sql, Object... args) throws SQLException {
    Long v = one(sql, rs -> rs.getLong(1), args);
    return v == null ? 0 : v;
  }

  /**
   * Binds {@code args} and steps the statement once: the statement when it stands on a row, else
   * null (it is done, and {@link #finish} is a no-op for null).
   */
  private Prepared start(String sql, Object[] args) throws SQLException {
    Prepared st = statements.get(sql);
    if (st == null) {
      PreparedStatement ps = jdbc.prepareStatement(sql);
      long ptr = ((CoreStatement) ps).pointer.safeRunLong((db, p) -> p);
      st = new Prepared(ps, ptr);
      statements.put(sql, st);
    }
    try {
      if (db.execute((CoreStatement) st.jdbc, args)) {
        return st;
      }
      db.reset(st.ptr);
      return null;
    } catch (SQLException e) {
      forget(sql);
      throw e;
    }
  }

  /** Resets a statement that stood on a row: it stops holding its read snapshot. */
  private void finish(Prepared st) throws SQLException {
    if (st != null) {
      db.reset(st.ptr);
    }
  }

  /** Drops a statement that failed: the driver closes some on failure, so prepare it anew. */
  private void forget(String sql) {
    Prepared st = statements.remove(sql);
    if (st != null) {
      try {
        st.jdbc.close();
      } catch (SQLException ignored) {
        // Closing a failed statement; the error that matters is the one being thrown.
      }
    }
  }

  /** The SQL of every statement kept prepared: what the query-plan test explains. */
  Set<String> preparedSql() {
    return Set.copyOf(statements.keySet());
  }

  @Override
  public void close() {
    try {
      for (Prepared st : statements.values()) {
        st.jdbc.close();
      }
      statements.clear();
      jdbc.close();
    } catch (SQLException e) {
      throw internal("closing the journal database", e);
    }
  }

  /** The storage failure a database error stands for: a full disk, a busy file, or a fault. */
  static CairnException internal(String what, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    CairnException.Kind kind;
    if (code == SQLiteErrorCode.SQLITE_FULL.code) {
      kind = CairnException.Kind.INSUFFICIENT_STORAGE;
    } else if (code == SQLiteErrorCode.SQLITE_BUSY.code
        || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
      kind = CairnException.Kind.TRANSIENT;
    } else {
      kind = CairnException.Kind.INTERNAL;
    }
    return new CairnException(kind, what + ": " + e.getMessage(), e);
  }
}
