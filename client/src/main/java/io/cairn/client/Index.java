package io.cairn.client;

import io.cairn.core.Blocklist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local index, {@code LOCAL_DIR/.cairn-sync/index.db} (SQLite): for every path, the version
 * both sides last agreed on (the base: what makes a conflict detectable, and what a person can
 * compare against), the server's tree as the change feed last showed it (remote), the cursor
 * that feed continues from, and the conflicts met. Paths are relative to the synced folder
 * ({@code /} is the folder itself). Every write commits at once, so a client killed at any point
 * finds the index as of its last finished step. One connection, used under this object's lock.
 */
final class Index implements AutoCloseable {
  static final String DIR = ".cairn-sync";

  /**
   * A file modified this recently may still be written to within the same millisecond tick, so its
   * size and mtime cannot vouch for its content (git's "racily clean" files): its base gets no
   * mtime, and the next run reads it once to be sure.
   */
  static final long RACY_MILLIS = 2_000;

  private final Connection db;
  private final Clock clock;
  /** When the files being recorded were read (the current pass's walk), for the racy rule. */
  private volatile long readAt;

  private Index(Connection db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  static Index open(Path root, Clock clock) throws IOException {
    Path dir = root.resolve(DIR);
    Files.createDirectories(dir);
    try {
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("index.db"));
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        for (String table : List.of("base", "remote")) {
          s.execute("CREATE TABLE IF NOT EXISTS " + table + " (path TEXT PRIMARY KEY, folder INTEGER NOT NULL,"
              + " version INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash TEXT, blocklist BLOB)");
        }
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
        s.execute("CREATE TABLE IF NOT EXISTS conflicts (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, path TEXT NOT NULL,"
            + " shape TEXT NOT NULL, outcome TEXT NOT NULL, copy TEXT,"
            + " base_size INTEGER, base_mtime INTEGER, base_hash TEXT, base_version INTEGER,"
            + " local_size INTEGER, local_mtime INTEGER, local_hash TEXT,"
            + " remote_size INTEGER, remote_mtime INTEGER, remote_hash TEXT, remote_version INTEGER)");
      }
      return new Index(db, clock);
    } catch (SQLException e) {
      throw new IOException("cannot open the index in " + dir + ": " + e.getMessage(), e);
    }
  }

  synchronized Map<String, Node> base() {
    return load("base");
  }

  synchronized Map<String, Node> remote() {
    return load("remote");
  }

  synchronized void putBase(String path, Node node) {
    put("base", path, node);
  }

  synchronized void putRemote(String path, Node node) {
    put("remote", path, node);
  }

  /** Forgets {@code path} and everything below it in the base. */
  synchronized void removeBase(String path) {
    remove("base", path);
  }

  synchronized void removeRemote(String path) {
    remove("remote", path);
  }

  /**
   * Both sides agree on {@code remote} at {@code path}: base and remote both say so, the base with
   * the local file's mtime (unless it is too recent to vouch for the content: {@link #RACY_MILLIS}).
   */
  synchronized void agree(String path, Node remote, long localMtime) {
    long mtime = !remote.folder() && racy(localMtime) ? -1 : localMtime;
    inTransaction(() -> {
      put("remote", path, remote);
      put("base", path, remote.withMtime(mtime));
    });
  }

  /**
   * Files about to be recorded were read no earlier than {@code millis} (a pass's walk): a file
   * modified within {@link #RACY_MILLIS} of that moment, or after it, is racy however long its
   * transfer took.
   */
  void readAt(long millis) {
    readAt = millis;
  }

  private boolean racy(long mtime) {
    long reference = readAt == 0 ? clock.millis() : Math.min(readAt, clock.millis());
    return mtime > reference - RACY_MILLIS;
  }

  /** A racy base entry whose file was read again and still holds its content: trust its mtime now. */
  synchronized void settle(String path, Node base, long localMtime) {
    if (clock.millis() - localMtime >= RACY_MILLIS) { // read just now, and its mtime is old enough to vouch
      put("base", path, base.withMtime(localMtime));
    }
  }

  /** Both sides agree nothing is at {@code path} or below. */
  synchronized void agreeGone(String path) {
    inTransaction(() -> {
      remove("remote", path);
      remove("base", path);
    });
  }

  /** Runs {@code work} in one transaction (all of it, or none after a crash). */
  synchronized void inTransaction(Runnable work) {
    try {
      if (!db.getAutoCommit()) { // already inside one: part of it
        work.run();
        return;
      }
      db.setAutoCommit(false);
      try {
        work.run();
        db.commit();
      } catch (RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("index: " + e.getMessage(), e);
    }
  }

  synchronized String meta(String key) {
    try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("index: " + e.getMessage(), e);
    }
  }

  synchronized void meta(String key, String value) {
    update("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  /** A conflict met, as {@code cairn sync conflicts} lists it. */
  record Conflict(long at, String path, String shape, String outcome, String copy, Node base, Node local, Node remote) {}

  synchronized void addConflict(Conflict c) {
    update("INSERT INTO conflicts (at, path, shape, outcome, copy, base_size, base_mtime, base_hash, base_version,"
            + " local_size, local_mtime, local_hash, remote_size, remote_mtime, remote_hash, remote_version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.at(), c.path(), c.shape(), c.outcome(), c.copy(),
        size(c.base()), mtime(c.base()), hash(c.base()), c.base() == null ? null : c.base().version(),
        size(c.local()), mtime(c.local()), hash(c.local()),
        size(c.remote()), mtime(c.remote()), hash(c.remote()), c.remote() == null ? null : c.remote().version());
  }

  synchronized List<Conflict> conflicts() {
    List<Conflict> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM conflicts ORDER BY id")) {
      while (rs.next()) {
        out.add(new Conflict(rs.getLong("at"), rs.getString("path"), rs.getString("shape"), rs.getString("outcome"),
            rs.getString("copy"), side(rs, "base"), side(rs, "local"), side(rs, "remote")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("index: " + e.getMessage(), e);
    }
    return out;
  }

  private static Node side(ResultSet rs, String prefix) throws SQLException {
    String hash = rs.getString(prefix + "_hash");
    if (hash == null) {
      return null;
    }
    long version = prefix.equals("local") ? 0 : rs.getLong(prefix + "_version");
    return new Node(false, version, rs.getLong(prefix + "_size"), rs.getLong(prefix + "_mtime"), hash, Blocklist.EMPTY);
  }

  private static Long size(Node n) {
    return n == null || n.folder() ? null : n.size();
  }

  private static Long mtime(Node n) {
    return n == null || n.folder() ? null : n.mtime();
  }

  private static String hash(Node n) {
    return n == null || n.folder() ? null : n.hash();
  }

  private Map<String, Node> load(String table) {
    Map<String, Node> out = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT path, folder, version, size, mtime, hash, blocklist FROM " + table)) {
      while (rs.next()) {
        byte[] blocks = rs.getBytes(7);
        out.put(rs.getString(1), new Node(rs.getInt(2) == 1, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6),
            blocks == null ? Blocklist.EMPTY : Blocklist.decode(blocks)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("index: " + e.getMessage(), e);
    }
    return out;
  }

  private void put(String table, String path, Node n) {
    update("INSERT OR REPLACE INTO " + table + " (path, folder, version, size, mtime, hash, blocklist) VALUES (?, ?, ?, ?, ?, ?, ?)",
        path, n.folder() ? 1 : 0, n.version(), n.size(), n.mtime(), n.hash(), n.folder() ? null : n.blocklist().encode());
  }

  private void remove(String table, String path) {
    if (path.equals("/")) {
      update("DELETE FROM " + table);
      return;
    }
    // Below: "path/" then anything; '/' + 1 is '0', so the range is every "path/…".
    update("DELETE FROM " + table + " WHERE path = ? OR (path >= ? AND path < ?)", path, path + "/", path + "0");
  }

  private void update(String sql, Object... args) {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("index: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // closing: nothing left to lose
    }
  }
}
