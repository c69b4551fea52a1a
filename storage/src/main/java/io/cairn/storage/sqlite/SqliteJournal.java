package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.ChunkDeletions;
import io.cairn.storage.Entry;
import io.cairn.storage.HistoryWalk;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.NamespacedPath;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.storage.TrashItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal in an embedded SQLite database file: the single-node default.
 *
 * <p>All writes go through one writer thread with its own connection, which groups concurrent
 * commits into one transaction (see {@link SqliteWriter}); reads use a few connections of their
 * own, on the caller's thread when it is a virtual thread and else on reader threads (see {@link
 * SqliteReaders}). The database is in WAL mode with {@code synchronous=FULL}: a commit whose future
 * succeeded survives a crash of the process and of the machine. Only one process may use a
 * database file at a time.
 *
 * <p>A read called on a virtual thread returns a completed future. Other futures of calls made on
 * a Vert.x context complete on that context; the rest complete on the journal's own threads, so
 * their callbacks must not block.
 */
public final class SqliteJournal implements Journal {
  /** The URI scheme this backend answers to: {@code sqlite:/var/lib/cairn/journal.db}. */
  public static final String SCHEME = "sqlite";
  private static final int READERS = 4;

  private final SqliteConnection writerDb;
  private final SqliteWriter writer;
  private final SqliteReaders readers;
  private final SqliteCommits commits;
  private final Clock clock;
  private final SqliteChunkDeletions deletions;
  private boolean closed;

  private SqliteJournal(SqliteConnection writerDb, SqliteReaders readers, Clock clock) {
    this.writerDb = writerDb;
    this.readers = readers;
    this.commits = new SqliteCommits(writerDb, clock);
    this.clock = clock;
    this.writer = new SqliteWriter(writerDb, "cairn-sqlite-writer");
    this.deletions = new SqliteChunkDeletions(this::write, this::readOne);
  }

  /** Opens (creating it and its parent directories if needed) the journal in {@code file}. */
  public static SqliteJournal open(Path file) {
    return open(file, Clock.systemUTC());
  }

  /**
   * Opens the journal in {@code file}, creating it and its parent directories when missing and
   * bringing its schema up to date. Commit times come from {@code clock}. Fails with INTERNAL
   * (TRANSIENT when the file is busy) when the database cannot be opened.
   */
  public static SqliteJournal open(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath();
    SqliteConnection writerDb = null;
    try {
      Files.createDirectories(absolute.getParent());
      writerDb = SqliteConnection.open(absolute, false);
      SqliteMigrations.apply(writerDb, clock);
      SqliteReaders readers = new SqliteReaders(absolute, READERS, "cairn-sqlite-reader");
      return new SqliteJournal(writerDb, readers, clock);
    } catch (IOException e) {
      throw new CairnException(CairnException.Kind.INTERNAL,
          "cannot create the directory of " + absolute, e);
    } catch (SQLException e) {
      if (writerDb != null) {
        writerDb.close();
      }
      throw SqliteConnection.internal("cannot open the journal " + absolute, e);
    }
  }

  /**
   * Opens the existing journal in {@code file} for reading only, beside a server that may be
   * writing it: every connection is {@code query_only}, no migration runs (a schema older or newer
   * than this build's is refused), nothing is created. Every write fails. For integrity checks
   * ({@code cairn fsck}). Fails with INTERNAL when the file is missing or cannot be read.
   */
  public static SqliteJournal openReadOnly(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath();
    if (!Files.isRegularFile(absolute)) {
      throw new CairnException(CairnException.Kind.INTERNAL, "no journal database at " + absolute);
    }
    SqliteConnection writerDb = null;
    try {
      writerDb = SqliteConnection.open(absolute, true);
      SqliteMigrations.requireCurrent(writerDb);
      SqliteReaders readers = new SqliteReaders(absolute, 1, "cairn-sqlite-reader");
      return new SqliteJournal(writerDb, readers, clock);
    } catch (SQLException e) {
      if (writerDb != null) {
        writerDb.close();
      }
      throw SqliteConnection.internal("cannot open the journal " + absolute, e);
    }
  }

  /** Opens the journal a {@code sqlite:} URI names, with the system clock. */
  public static SqliteJournal open(String uri) {
    return open(pathOf(uri), Clock.systemUTC());
  }

  /** Opens the journal a {@code sqlite:} URI names; see {@link #pathOf(String)}. */
  public static SqliteJournal open(String uri, Clock clock) {
    return open(pathOf(uri), clock);
  }

  /**
   * The file a {@code sqlite:} URI names: {@code sqlite:/abs/file.db}, {@code
   * sqlite:///abs/file.db} or {@code sqlite:relative/file.db} (against the working directory). The path is taken
   * literally, without percent-decoding.
   *
   * @throws IllegalArgumentException for any other URI
   */
  public static Path pathOf(String uri) {
    String prefix = SCHEME + ":";
    if (uri == null || !uri.startsWith(prefix)) {
      throw new IllegalArgumentException("not a sqlite: URI: " + uri);
    }
    String rest = uri.substring(prefix.length());
    if (rest.startsWith("///")) {
      rest = rest.substring(2);
    } else if (rest.startsWith("//")) {
      throw new IllegalArgumentException(
          "a sqlite: URI names a file (sqlite:/abs/path or sqlite:rel/path), not a host: " + uri);
    }
    if (rest.isEmpty() || rest.startsWith(":memory:")) {
      throw new IllegalArgumentException("a sqlite: URI needs a file path: " + uri);
    }
    return Path.of(rest);
  }

  @Override
  public Future<Void> createNamespace(String ns) {
    if (ns == null || ns.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a namespace needs a name"));
    }
    return write(db -> {
      commits.createNamespace(ns);
      return null;
    });
  }

  @Override
  public Future<NamespaceInfo> namespace(String ns) {
    return read(db -> SqliteQueries.namespace(db, ns));
  }

  @Override
  public Future<List<String>> namespaces(String after, int limit) {
    // Names are never empty, so '' stands for "from the first"; BINARY collation is code point order.
    return read(db -> db.list("SELECT ns FROM namespaces WHERE ns > ? ORDER BY ns LIMIT ?",
        rs -> rs.getString(1), after == null ? "" : after, Math.max(limit, 0)));
  }

  @Override
  public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
    return read(db -> db.list("SELECT ns, last_jid, used_bytes FROM namespaces WHERE ns > ? ORDER BY ns LIMIT ?",
        rs -> new NamespaceInfo(rs.getString(1), rs.getLong(2), rs.getLong(3)), after == null ? "" : after,
        Math.max(limit, 0)));
  }

  @Override
  public Future<JournalRow> commit(String ns, Change change, String author) {
    if (change == null) {
      return Future.failedFuture(CairnException.conflict("no change to commit"));
    }
    String to = change instanceof Change.Move m ? m.to()
        : change instanceof Change.Copy c ? c.to() : TreePaths.ROOT;
    if (!TreePaths.isValid(change.path()) || !TreePaths.isValid(to)) {
      return invalid(TreePaths.isValid(change.path()) ? to : change.path());
    }
    return write(db -> commits.commit(ns, change, author));
  }

  @Override
  public Future<Entry> entry(String ns, String path) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    // One statement when the entry exists (the namespace is checked only when it does not): no
    // explicit transaction, which would add a BEGIN and a ROLLBACK to the one query.
    return readOne(db -> SqliteQueries.entry(db, ns, path));
  }

  @Override
  public Future<String> pathOf(String ns, long fileId) {
    // Named: the planner would take the key's ns = ? for as selective (see ENTRIES_BY_PATH).
    return readOne(db -> db.one(
        "SELECT path FROM entries INDEXED BY entries_by_file_id WHERE ns = ? AND file_id = ?",
        rs -> rs.getString(1), ns, fileId));
  }

  @Override
  public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
    return read(db -> SqliteQueries.entriesByPath(db, ns, afterPath, limit));
  }

  @Override
  public Future<List<Entry>> children(String ns, String path, String after, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(db -> SqliteQueries.children(db, ns, path, after, limit));
  }

  @Override
  public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(db -> SqliteQueries.listing(db, ns, path, after, limit));
  }

  @Override
  public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
    return read(db -> SqliteQueries.changes(db, ns, afterJid, limit));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(db -> SqliteQueries.history(db, ns, path, limit));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return HistoryWalk.page(
        (p, ancestors, before, n) ->
            read(db -> SqliteRetained.historyRows(db, ns, p, ancestors, before, n)),
        path, beforeJid, limit);
  }

  @Override
  public Future<List<TrashItem>> trash(String ns, String under, int limit) {
    if (!TreePaths.isValid(under)) {
      return invalid(under);
    }
    return read(db -> SqliteRetained.trash(db, ns, under, limit));
  }

  @Override
  public Future<List<Entry>> trashed(String ns, long jid, String path) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(db -> SqliteRetained.trashed(db, ns, jid, path));
  }

  @Override
  public Future<Set<ChunkHash>> referenced(
      Collection<String> namespaces, Collection<ChunkHash> hashes) {
    return read(db -> SqliteRetained.referenced(db, List.copyOf(namespaces), List.copyOf(hashes)));
  }

  @Override
  public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    List<ChunkHash> copy = List.copyOf(hashes);
    return write(db -> {
      SqliteRetained.recordUpload(db, user, copy, at);
      return null;
    });
  }

  @Override
  public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    List<Long> copy = List.copyOf(jids);
    return write(db -> {
      SqliteRetained.expire(db, ns, copy, at);
      return null;
    });
  }

  @Override
  public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    List<Long> copy = List.copyOf(jids);
    return readOne(db -> SqliteRetained.expired(db, ns, copy));
  }

  @Override
  public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
    List<Long> copy = List.copyOf(jids);
    return readOne(db -> {
      Map<Long, String> out = new HashMap<>();
      if (!copy.isEmpty()) {
        db.list("SELECT jid, author FROM journal WHERE ns = ? AND author IS NOT NULL"
                + " AND jid IN (SELECT value FROM json_each(?))",
            rs -> out.put(rs.getLong(1), rs.getString(2)),
            ns, "[" + String.join(",", copy.stream().map(String::valueOf).toList()) + "]");
      }
      return out;
    });
  }

  @Override
  public Future<NamespaceUsage> usage(String ns) {
    return readOne(db -> SqliteRetained.usage(db, ns));
  }

  @Override
  public Future<Map<String, Long>> namespaceSettings(String ns) {
    return readOne(db -> SqliteRetained.namespaceSettings(db, ns));
  }

  @Override
  public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    if (settings.keySet().stream().anyMatch(k -> k == null || k.isEmpty())) {
      return Future.failedFuture(CairnException.conflict("a namespace setting needs a key"));
    }
    Map<String, Long> copy = new HashMap<>(settings);
    return write(db -> {
      SqliteRetained.setNamespaceSettings(db, ns, copy);
      return null;
    });
  }

  @Override
  public Future<Set<ChunkHash>> uploadedSince(
      String user, Collection<ChunkHash> hashes, Instant since) {
    return read(db -> SqliteRetained.uploadedSince(db, user, List.copyOf(hashes), since));
  }

  @Override
  public Future<Map<String, Map<PropertyName, String>>> properties(
      String ns, Collection<String> paths, String hidden) {
    return read(db -> SqliteQueries.properties(db, ns, paths, hidden));
  }

  @Override
  public Future<Map<PropertyName, String>> properties(String ns, String path) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(db -> SqliteQueries.properties(db, ns, path));
  }

  @Override
  public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    if (changes == null || changes.stream().anyMatch(java.util.Objects::isNull)) {
      return Future.failedFuture(CairnException.conflict("a property patch needs its steps"));
    }
    List<PropertyChange> steps = List.copyOf(changes);
    return write(db -> {
      commits.patchProperties(ns, path, steps);
      return null;
    });
  }

  @Override
  public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
    return read(db -> SqliteQueries.nonAsciiPaths(db, after, limit));
  }

  @Override
  public ChunkDeletions chunkDeletions() {
    return deletions;
  }

  @Override
  public Future<Boolean> maintenanceDone(String step) {
    return readOne(db -> SqliteQueries.maintenanceDone(db, step));
  }

  @Override
  public Future<Void> recordMaintenanceDone(String step) {
    if (step == null || step.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a maintenance step needs a name"));
    }
    return write(db -> {
      db.update("INSERT OR IGNORE INTO maintenance (step, done_at) VALUES (?, ?)",
          step, clock.millis());
      return null;
    });
  }

  @Override
  public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
    if (problems.values().stream().anyMatch(p -> p == null || p.isEmpty())) {
      return Future.failedFuture(CairnException.conflict("a damaged chunk needs its problem"));
    }
    Map<ChunkHash, String> copy = Map.copyOf(problems);
    return write(db -> {
      SqliteDamage.mark(db, copy, at);
      return null;
    });
  }

  @Override
  public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
    List<ChunkHash> copy = List.copyOf(hashes);
    return write(db -> {
      SqliteDamage.clear(db, copy);
      return null;
    });
  }

  @Override
  public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    List<ChunkHash> copy = List.copyOf(hashes);
    return readOne(db -> SqliteDamage.damaged(db, copy));
  }

  @Override
  public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
    return readOne(db -> SqliteDamage.list(db, after, limit));
  }

  @Override
  public Future<String> maintenanceValue(String key) {
    if (key == null || key.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a maintenance value needs a key"));
    }
    return readOne(db -> SqliteDamage.value(db, key));
  }

  @Override
  public Future<Void> setMaintenanceValue(String key, String value) {
    if (key == null || key.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a maintenance value needs a key"));
    }
    return write(db -> {
      SqliteDamage.setValue(db, key, value, clock.millis());
      return null;
    });
  }

  /**
   * The SQL of the statements this journal's connections keep prepared (every statement it ran),
   * for the test that explains their query plans; call it while no call is in flight.
   */
  Set<String> preparedSql() {
    Set<String> sql = new HashSet<>(writerDb.preparedSql());
    readers.connections().forEach(c -> sql.addAll(c.preparedSql()));
    return sql;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    writer.close();
    readers.close();
    writerDb.close();
  }

  private static <T> Future<T> invalid(String path) {
    return Future.failedFuture(CairnException.conflict("not a valid path: " + path));
  }

  private <T> Future<T> write(SqliteWriter.Work<T> work) {
    Promise<T> promise = Promise.promise();
    writer.submit(work, outcome(promise));
    return promise.future();
  }

  /** Runs {@code work} in one read transaction: its statements see one snapshot. */
  private <T> Future<T> read(SqliteWriter.Work<T> work) {
    return read(work, true);
  }

  /** Runs {@code work}, each of whose statements needs no snapshot shared with the others. */
  private <T> Future<T> readOne(SqliteWriter.Work<T> work) {
    return read(work, false);
  }

  private <T> Future<T> read(SqliteWriter.Work<T> work, boolean snapshot) {
    if (Thread.currentThread().isVirtual()) {
      return readers.readHere(work, snapshot);
    }
    Promise<T> promise = Promise.promise();
    readers.submit(work, snapshot, outcome(promise));
    return promise.future();
  }

  /** The one bridge from the journal's threads back to the caller's Vert.x context, if any. */
  private static <T> SqliteWriter.Outcome<T> outcome(Promise<T> promise) {
    Context context = Vertx.currentContext();
    return new SqliteWriter.Outcome<>() {
      @Override
      public void succeeded(T value) {
        if (context == null) {
          promise.complete(value);
        } else {
          context.runOnContext(v -> promise.complete(value));
        }
      }

      @Override
      public void failed(CairnException e) {
        if (context == null) {
          promise.fail(e);
        } else {
          context.runOnContext(v -> promise.fail(e));
        }
      }
    };
  }
}
