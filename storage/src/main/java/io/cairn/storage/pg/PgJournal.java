package io.cairn.storage.pg;

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
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The production {@link Journal}: PostgreSQL through the reactive vertx-pg-client, pooled, with
 * prepared statements. Any number of server nodes may share one database: a commit allocates its
 * jid under the namespace row's lock inside its transaction, so jids are gap-free and in commit
 * order across nodes (see {@link PgCommit}). Transactions PostgreSQL aborts as serialization
 * failures or deadlocks are run again a few times before the caller sees TRANSIENT.
 *
 * <p>Open with {@link #open(Vertx, String, Clock, int)}; the schema is migrated on open ({@link
 * PgMigrations}). Thread-safe; futures complete on the pool's event loops.
 */
public final class PgJournal implements Journal {
  /** Connections per journal unless told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 16;

  private static final int MAX_ATTEMPTS = 5;
  private static final long CLOSE_WAIT_SECONDS = 10;

  private static final String NAMESPACE_ENTRY =
      "SELECT "
          + PgRows.ROOT_COLUMNS.replaceAll("(\\w+)", "n.$1")
          + ", "
          + PgRows.ENTRY_COLUMNS.replaceAll("(\\w+)", "e.$1")
          + " FROM namespaces n LEFT JOIN entries e ON e.ns = n.ns AND e.path = $2"
          + " WHERE n.ns = $1";

  private static final String JOURNAL_E = PgRows.JOURNAL_COLUMNS.replaceAll("(\\w+)", "j.$1");

  private static final String CHANGES =
      "SELECT " + JOURNAL_E + " FROM namespaces n LEFT JOIN LATERAL (SELECT * FROM journal"
          + " WHERE ns = n.ns AND jid > $2 ORDER BY jid LIMIT $3) j ON true"
          + " WHERE n.ns = $1 ORDER BY j.jid";

  private static final String HISTORY =
      "SELECT " + JOURNAL_E + " FROM namespaces n LEFT JOIN LATERAL (SELECT * FROM journal"
          + " WHERE ns = n.ns AND (path = $2 OR dest = $2) ORDER BY jid DESC LIMIT $3) j ON true"
          + " WHERE n.ns = $1 ORDER BY j.jid DESC";

  private static final String PROPERTIES =
      "SELECT pns, pname, value FROM properties WHERE ns = $1 AND path = $2";

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Pool pool;
  private final Clock clock;
  private final PgRetained retained;
  private final PgDamage damage;
  private final PgChunkDeletions deletions;

  private PgJournal(Vertx vertx, boolean ownsVertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.pool = pool;
    this.clock = clock;
    this.retained = new PgRetained(pool);
    this.damage = new PgDamage(pool);
    this.deletions = new PgChunkDeletions(pool);
  }

  /** {@link #open(Vertx, String, Clock, int)} with a Vert.x of its own and the system clock. */
  public static Future<PgJournal> open(String uri) {
    return open(null, uri, Clock.systemUTC(), DEFAULT_POOL_SIZE);
  }

  /**
   * Connects to the database at {@code uri} and brings its schema up to date.
   *
   * @param vertx the Vert.x to run on; null to create one that {@link #close()} closes
   * @param uri {@code postgresql://user:password@host:port/database}; a missing password is sent
   *     as the empty one (trust authentication)
   * @param clock where commit times come from; null for the system clock (UTC)
   * @param poolSize the most connections held open at once; 0 or less for {@link
   *     #DEFAULT_POOL_SIZE}
   * @return the journal, or a failure: TRANSIENT when the database is unreachable, INTERNAL when
   *     the URI is malformed or the schema is newer than this build
   */
  public static Future<PgJournal> open(Vertx vertx, String uri, Clock clock, int poolSize) {
    return open(vertx, uri, clock, poolSize, false);
  }

  /**
   * Connects to the database at {@code uri} for reading only, beside servers that may be writing
   * it: every session has {@code default_transaction_read_only} on, no migration runs (a schema
   * other than this build's is refused with INTERNAL), so every write fails. For integrity checks
   * ({@code cairn fsck}). Failures as for {@link #open(Vertx, String, Clock, int)}.
   */
  public static Future<PgJournal> openReadOnly(Vertx vertx, String uri, Clock clock) {
    return open(vertx, uri, clock, 2, true);
  }

  private static Future<PgJournal> open(Vertx vertx, String uri, Clock clock, int poolSize,
      boolean readOnly) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new CairnException(CairnException.Kind.INTERNAL, "not a PostgreSQL URI: " + uri, e));
    }
    if (options.getPassword() == null) {
      options.setPassword(""); // the driver refuses null; trust authentication ignores it
    }
    options.setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(64);
    if (readOnly) {
      options.addProperty("default_transaction_read_only", "on");
    }
    boolean owned = vertx == null;
    Vertx v = owned ? Vertx.vertx() : vertx;
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(poolSize > 0 ? poolSize : DEFAULT_POOL_SIZE))
            .connectingTo(options)
            .using(v)
            .build();
    PgJournal journal = new PgJournal(v, owned, pool, clock == null ? Clock.systemUTC() : clock);
    return (readOnly ? PgMigrations.requireCurrent(pool) : PgMigrations.migrate(pool))
        .map(version -> journal)
        .recover(
            err -> {
              journal.close();
              return Future.failedFuture(PgErrors.map(err));
            });
  }

  @Override
  public Future<Void> createNamespace(String ns) {
    if (ns == null || ns.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a namespace needs a name"));
    }
    String sql =
        "INSERT INTO namespaces (ns, created_at, root_file_id)"
            + " VALUES ($1, $2, nextval('file_ids'))"
            + " ON CONFLICT (ns) DO NOTHING RETURNING ns";
    return transaction(
        conn ->
            conn.preparedQuery(sql)
                .execute(Tuple.of(ns, PgRows.toDb(clock.instant())))
                .compose(
                    rows ->
                        rows.size() == 1
                            ? Future.<Void>succeededFuture()
                            : Future.failedFuture(
                                CairnException.alreadyExists("namespace " + ns + " exists"))));
  }

  @Override
  public Future<List<String>> namespaces(String after, int limit) {
    String sql = "SELECT ns FROM namespaces WHERE ns COLLATE \"C\" > $1 ORDER BY ns COLLATE \"C\" LIMIT $2";
    return read(sql, Tuple.of(after == null ? "" : after, Math.max(limit, 0)))
        .map(rows -> {
          List<String> names = new ArrayList<>(rows.size());
          rows.forEach(r -> names.add(r.getString(0)));
          return names;
        });
  }

  @Override
  public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
    String sql = "SELECT ns, last_jid, used_bytes FROM namespaces WHERE ns COLLATE \"C\" > $1"
        + " ORDER BY ns COLLATE \"C\" LIMIT $2";
    return read(sql, Tuple.of(after == null ? "" : after, Math.max(limit, 0)))
        .map(rows -> collect(rows, r -> new NamespaceInfo(r.getString(0), r.getLong(1), r.getLong(2))));
  }

  @Override
  public Future<NamespaceInfo> namespace(String ns) {
    String sql = "SELECT ns, last_jid, used_bytes FROM namespaces WHERE ns = $1";
    return read(sql, Tuple.of(ns))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(CairnException.notFound("no namespace " + ns));
              }
              Row r = rows.iterator().next();
              return Future.succeededFuture(
                  new NamespaceInfo(r.getString(0), r.getLong(1), r.getLong(2)));
            });
  }

  @Override
  public Future<JournalRow> commit(String ns, Change change, String author) {
    if (change == null) {
      return Future.failedFuture(CairnException.conflict("no change to commit"));
    }
    if (!TreePaths.isValid(change.path())) {
      return invalid(change.path());
    }
    return transaction(conn -> PgCommit.run(conn, ns, change, author, clock));
  }

  @Override
  public Future<Entry> entry(String ns, String path) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return read(NAMESPACE_ENTRY, Tuple.of(ns, path)).compose(rows -> entryIn(ns, path, rows));
  }

  @Override
  public Future<String> pathOf(String ns, long fileId) {
    return read("SELECT path FROM entries WHERE ns = $1 AND file_id = $2", Tuple.of(ns, fileId))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
  }

  @Override
  public Future<List<Entry>> children(String ns, String path, String after, int limit) {
    return page(ns, path, after, limit, PgRows.ENTRY_COLUMNS, r -> PgRows.entry(r, 0));
  }

  /**
   * {@link #children} without blocklists: exactly the columns {@code entries_by_parent} includes,
   * so that the planner answers it from that index alone (an index-only scan, schema version 12,
   * ADR 0017) instead of one heap page per child.
   */
  @Override
  public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
    return page(ns, path, after, limit, PgRows.LISTED_COLUMNS, r -> PgRows.listed(path, r, 0));
  }

  private <T> Future<List<T>> page(String ns, String path, String after, int limit, String columns,
      Function<Row, T> reader) {
    return entry(ns, path)
        .compose(
            dir -> {
              if (dir == null) {
                return Future.failedFuture(CairnException.notFound("nothing at " + path));
              }
              if (!dir.isDirectory()) {
                return Future.failedFuture(CairnException.conflict(path + " is a file"));
              }
              if (limit <= 0) {
                return Future.succeededFuture(List.of());
              }
              String sql = "SELECT " + columns + " FROM entries WHERE ns = $1 AND parent = $2"
                  + (after == null ? "" : " AND name > $4") + " ORDER BY name LIMIT $3";
              Tuple args = Tuple.of(ns, path, limit);
              return read(sql, after == null ? args : args.addString(after))
                  .map(rows -> collect(rows, reader));
            });
  }

  @Override
  public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
    String sql = "SELECT " + PgRows.ENTRY_COLUMNS
        + " FROM entries WHERE ns = $1 AND path > $2 ORDER BY path LIMIT $3";
    return read(sql, Tuple.of(ns, afterPath == null ? "" : afterPath, Math.max(0, limit)))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(collect(rows, r -> PgRows.entry(r, 0)))
            : namespace(ns).map(info -> List.<Entry>of())); // NOT_FOUND for a missing namespace
  }

  @Override
  public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
    return journalRows(ns, CHANGES, Tuple.of(ns, afterJid, Math.max(0, limit)));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return journalRows(ns, HISTORY, Tuple.of(ns, path, Math.max(0, limit)));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return HistoryWalk.page(
        (p, ancestors, before, n) -> retained.historyRows(ns, p, ancestors, before, n),
        path,
        beforeJid,
        limit);
  }

  @Override
  public Future<List<TrashItem>> trash(String ns, String under, int limit) {
    return TreePaths.isValid(under) ? retained.trash(ns, under, limit) : invalid(under);
  }

  @Override
  public Future<List<Entry>> trashed(String ns, long jid, String path) {
    return TreePaths.isValid(path) ? retained.trashed(ns, jid, path) : invalid(path);
  }

  @Override
  public Future<Set<ChunkHash>> referenced(
      Collection<String> namespaces, Collection<ChunkHash> hashes) {
    return retained.referenced(namespaces, hashes);
  }

  @Override
  public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    return retained.recordUpload(user, hashes, at);
  }

  @Override
  public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    return retained.expire(ns, jids, at);
  }

  @Override
  public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    return retained.expired(ns, jids);
  }

  @Override
  public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
    return read("SELECT jid, author FROM journal WHERE ns = $1 AND author IS NOT NULL AND jid = ANY($2)",
            Tuple.of(ns).addArrayOfLong(jids.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, String> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), r.getString(1)));
          return out;
        });
  }

  @Override
  public Future<NamespaceUsage> usage(String ns) {
    return retained.usage(ns);
  }

  @Override
  public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
    if (problems.values().stream().anyMatch(p -> p == null || p.isEmpty())) {
      return Future.failedFuture(CairnException.conflict("a damaged chunk needs its problem"));
    }
    return damage.mark(problems, at);
  }

  @Override
  public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
    return damage.clear(hashes);
  }

  @Override
  public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    return damage.damaged(hashes);
  }

  @Override
  public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
    return damage.list(after, limit);
  }

  @Override
  public Future<String> maintenanceValue(String key) {
    return key == null || key.isEmpty()
        ? Future.failedFuture(CairnException.conflict("a maintenance value needs a key")) : damage.value(key);
  }

  @Override
  public Future<Void> setMaintenanceValue(String key, String value) {
    return key == null || key.isEmpty()
        ? Future.failedFuture(CairnException.conflict("a maintenance value needs a key"))
        : damage.setValue(key, value, clock.millis());
  }

  @Override
  public Future<Map<String, Long>> namespaceSettings(String ns) {
    return namespace(ns).compose(i -> retained.namespaceSettings(ns));
  }

  @Override
  public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    if (settings.keySet().stream().anyMatch(k -> k == null || k.isEmpty())) {
      return Future.failedFuture(CairnException.conflict("a namespace setting needs a key"));
    }
    Map<String, Long> copy = new java.util.HashMap<>(settings);
    return namespace(ns).compose(i -> retained.setNamespaceSettings(ns, copy));
  }

  @Override
  public Future<Set<ChunkHash>> uploadedSince(
      String user, Collection<ChunkHash> hashes, Instant since) {
    return retained.uploadedSince(user, hashes, since);
  }

  @Override
  public Future<Map<String, Map<PropertyName, String>>> properties(
      String ns, Collection<String> paths, String hidden) {
    return read("SELECT path, pns, pname, value FROM properties WHERE ns = $1 AND path = ANY($2)"
                + " AND pns IS DISTINCT FROM $3",
            Tuple.of(ns).addArrayOfString(paths.toArray(new String[0])).addString(hidden))
        .map(rows -> {
          Map<String, Map<PropertyName, String>> out = new HashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getString(0), p -> new TreeMap<>(PgJournal::byName))
                .put(new PropertyName(r.getString(1), r.getString(2)), r.getString(3));
          }
          return out;
        });
  }

  @Override
  public Future<Map<PropertyName, String>> properties(String ns, String path) {
    return entry(ns, path)
        .compose(
            found ->
                found == null
                    ? Future.failedFuture(CairnException.notFound("nothing at " + path))
                    : read(PROPERTIES, Tuple.of(ns, path)))
        .map(
            rows -> {
              Map<PropertyName, String> props = new TreeMap<>(PgJournal::byName);
              for (Row r : rows) {
                props.put(new PropertyName(r.getString(0), r.getString(1)), r.getString(2));
              }
              return props;
            });
  }

  @Override
  public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
    if (!TreePaths.isValid(path)) {
      return invalid(path);
    }
    return transaction(conn -> PgProperties.patch(conn, ns, path, changes));
  }

  @Override
  public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
    // octet_length counts UTF-8 bytes, char_length characters: they differ exactly for a
    // character outside ASCII. Names and paths are never empty, so ('', '') is "from the first".
    String sql =
        "SELECT ns, path FROM entries WHERE (ns, path) > ($1, $2)"
            + " AND octet_length(path) <> char_length(path) ORDER BY ns, path LIMIT $3";
    Tuple args =
        Tuple.of(
            after == null ? "" : after.ns(), after == null ? "" : after.path(), Math.max(0, limit));
    return read(sql, args)
        .map(rows -> collect(rows, r -> new NamespacedPath(r.getString(0), r.getString(1))));
  }

  @Override
  public ChunkDeletions chunkDeletions() {
    return deletions;
  }

  @Override
  public Future<Boolean> maintenanceDone(String step) {
    return read("SELECT 1 FROM maintenance WHERE step = $1", Tuple.of(step))
        .map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Void> recordMaintenanceDone(String step) {
    if (step == null || step.isEmpty()) {
      return Future.failedFuture(CairnException.conflict("a maintenance step needs a name"));
    }
    String sql =
        "INSERT INTO maintenance (step, done_at) VALUES ($1, $2) ON CONFLICT (step) DO NOTHING";
    return read(sql, Tuple.of(step, clock.millis())).mapEmpty();
  }

  @Override
  public void close() {
    Future<Void> poolClosed = pool.close();
    if (Context.isOnVertxThread()) {
      if (ownsVertx) {
        poolClosed.onComplete(done -> vertx.close());
      }
      return;
    }
    // Callers on ordinary threads (tests, shutdown hooks) wait, so that no thread outlives the
    // journal. One step at a time: a future chained across vertx.close() would complete on an
    // event loop that no longer runs.
    awaitQuietly(poolClosed);
    if (ownsVertx) {
      awaitQuietly(vertx.close());
    }
  }

  private static void awaitQuietly(Future<Void> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Closing is best effort: sockets and threads die with the process anyway.
    }
  }

  /** Runs {@code work} in a transaction, again when PostgreSQL aborted it for a concurrent one. */
  private <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return attempt(work, 1);
  }

  private <T> Future<T> attempt(Function<SqlConnection, Future<T>> work, int attempt) {
    return pool.withTransaction(work)
        .recover(
            err -> {
              if (PgErrors.isRetryable(err) && attempt < MAX_ATTEMPTS) {
                // A short, growing, jittered pause so the transactions that collided spread out.
                long pauseMs = (long) (Math.random() * 5 * attempt) + 1;
                return vertx.timer(pauseMs).compose(v -> attempt(work, attempt + 1));
              }
              return Future.failedFuture(PgErrors.map(err));
            });
  }

  private Future<RowSet<Row>> read(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .recover(err -> Future.failedFuture(PgErrors.map(err)));
  }

  private Future<List<JournalRow>> journalRows(String ns, String sql, Tuple args) {
    return read(sql, args)
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(CairnException.notFound("no namespace " + ns))
                    : Future.succeededFuture(collect(rows, r -> PgRows.journalRow(r, 0))));
  }

  private static Future<Entry> entryIn(String ns, String path, RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Future.failedFuture(CairnException.notFound("no namespace " + ns));
    }
    Row row = rows.iterator().next();
    if (path.equals(TreePaths.ROOT)) {
      return Future.succeededFuture(PgRows.root(row, 0));
    }
    return Future.succeededFuture(PgRows.entry(row, 4));
  }

  /** The non-null results of {@code map} over {@code rows}, in order. */
  private static <T> List<T> collect(RowSet<Row> rows, Function<Row, T> map) {
    List<T> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      T t = map.apply(r);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private static int byName(PropertyName a, PropertyName b) {
    int c = a.namespace().compareTo(b.namespace());
    return c != 0 ? c : a.localName().compareTo(b.localName());
  }

  private static <T> Future<T> invalid(String path) {
    return Future.failedFuture(CairnException.conflict("not a valid path: " + path));
  }
}
