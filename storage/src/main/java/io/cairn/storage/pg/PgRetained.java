package io.cairn.storage.pg;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.TrashItem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the journal retains beyond the live tree and its rows (migration V4): the trash, chunk
 * references and uploads, and the history walk's query. Reads that concern a namespace join it in, so that no namespace (NOT_FOUND)
 * and nothing found are told apart in one round trip.
 */
final class PgRetained {
  /** {@code path} at or below $2. */
  private static final String AT_OR_BELOW_2 =
      "(path = $2 OR (path > ($2 || '/') AND path < ($2 || '0')))";

  /** Three index range scans (by path, by destination, moves into a folder above), merged. */
  private static final String HISTORY_ROWS =
      "SELECT " + PgRows.JOURNAL_COLUMNS.replaceAll("(\\w+)", "j.$1")
          + " FROM namespaces n LEFT JOIN LATERAL (SELECT * FROM ("
          + "(SELECT * FROM journal WHERE ns = n.ns AND path = $2 AND jid < $3"
          + " ORDER BY jid DESC LIMIT $5) UNION ALL"
          + " (SELECT * FROM journal WHERE ns = n.ns AND dest = $2 AND jid < $3"
          + " ORDER BY jid DESC LIMIT $5) UNION ALL"
          + " (SELECT * FROM journal WHERE ns = n.ns AND dest = ANY($4) AND kind = 'MOVE'"
          + " AND jid < $3 ORDER BY jid DESC LIMIT $5)) u ORDER BY jid DESC LIMIT $5) j ON true"
          + " WHERE n.ns = $1 ORDER BY j.jid DESC";

  private static final String TRASH =
      "SELECT t.path, t.jid, t.at, t.author, t.kind, t.bytes, t.files FROM namespaces n"
          + " LEFT JOIN LATERAL (SELECT * FROM trash_roots WHERE ns = n.ns AND %s"
          + " ORDER BY jid DESC LIMIT $3) t ON true WHERE n.ns = $1 ORDER BY t.jid DESC";

  private static final String TRASHED =
      "SELECT " + PgRows.ENTRY_COLUMNS.replaceAll("(\\w+)", "t.$1")
          + " FROM namespaces n LEFT JOIN LATERAL (SELECT * FROM trash_entries WHERE ns = n.ns"
          + " AND jid = $3 AND %s) t ON true WHERE n.ns = $1 ORDER BY t.path";

  private static final String REFERENCED =
      "SELECT DISTINCT hash FROM chunk_refs WHERE ns = ANY($1) AND hash = ANY($2)";

  private static final String UPLOADED_SINCE =
      "SELECT hash FROM chunk_uploads WHERE user_name = $1 AND hash = ANY($2) AND at >= $3";

  /** Sorted and distinct hashes ($2), so that concurrent uploads lock rows in one order. */
  private static final String RECORD_UPLOAD =
      "INSERT INTO chunk_uploads (user_name, hash, at) SELECT $1, unnest($2::text[]), $3"
          + " ON CONFLICT (user_name, hash)"
          + " DO UPDATE SET at = greatest(chunk_uploads.at, excluded.at)";

  /** The first expiry of each jid stays. */
  private static final String EXPIRE =
      "INSERT INTO expired_versions (ns, jid, expired_at) SELECT $1, unnest($2::bigint[]), $3"
          + " ON CONFLICT (ns, jid) DO NOTHING";

  private static final String EXPIRED =
      "SELECT jid, expired_at FROM expired_versions WHERE ns = $1 AND jid = ANY($2)";

  private static final String USAGE = NamespaceUsage.sql("$1");

  private final Pool pool;

  PgRetained(Pool pool) {
    this.pool = pool;
  }

  Future<List<JournalRow>> historyRows(
      String ns, String path, List<String> ancestors, long beforeJid, int limit) {
    Tuple args =
        Tuple.of(ns, path, beforeJid)
            .addArrayOfString(ancestors.toArray(String[]::new))
            .addInteger(Math.max(0, limit));
    return inNamespace(ns, HISTORY_ROWS, args, r -> PgRows.journalRow(r, 0));
  }

  Future<List<TrashItem>> trash(String ns, String under, int limit) {
    boolean all = under.equals(TreePaths.ROOT);
    String sql = String.format(TRASH, all ? "$2::text IS NOT NULL" : AT_OR_BELOW_2);
    return inNamespace(ns, sql, Tuple.of(ns, under, Math.max(0, limit)), PgRetained::item);
  }

  Future<List<Entry>> trashed(String ns, long jid, String path) {
    boolean all = path.equals(TreePaths.ROOT);
    String sql = String.format(TRASHED, all ? "$2::text IS NOT NULL" : AT_OR_BELOW_2);
    return inNamespace(ns, sql, Tuple.of(ns, path, jid), r -> PgRows.entry(r, 0));
  }

  Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes) {
    if (namespaces.isEmpty() || hashes.isEmpty()) {
      return Future.succeededFuture(new HashSet<>());
    }
    Tuple args =
        Tuple.tuple()
            .addArrayOfString(namespaces.toArray(String[]::new))
            .addArrayOfString(hexes(hashes));
    return query(REFERENCED, args).map(PgRetained::hashes);
  }

  Future<Set<ChunkHash>> uploadedSince(
      String user, Collection<ChunkHash> hashes, Instant since) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture(new HashSet<>());
    }
    Tuple args =
        Tuple.tuple()
            .addString(user == null ? "" : user)
            .addArrayOfString(hexes(hashes))
            .addLong(since.toEpochMilli());
    return query(UPLOADED_SINCE, args).map(PgRetained::hashes);
  }

  Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple args =
        Tuple.tuple()
            .addString(user == null ? "" : user)
            .addArrayOfString(hexes(hashes))
            .addLong(at.toEpochMilli());
    return query(RECORD_UPLOAD, args).mapEmpty();
  }

  private static String[] hexes(Collection<ChunkHash> hashes) {
    return hashes.stream().map(ChunkHash::hex).distinct().sorted().toArray(String[]::new);
  }

  static Set<ChunkHash> hashes(RowSet<Row> rows) {
    Set<ChunkHash> out = new HashSet<>();
    for (Row r : rows) {
      out.add(ChunkHash.parse(r.getString(0)));
    }
    return out;
  }

  private static TrashItem item(Row r) {
    String path = r.getString(0);
    if (path == null) {
      return null;
    }
    return new TrashItem(
        path,
        r.getLong(1),
        PgRows.instant(r, 2),
        r.getString(3),
        EntryKind.valueOf(r.getString(4)),
        r.getLong(5),
        r.getLong(6));
  }

  Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    Long[] distinct = new java.util.TreeSet<>(jids).toArray(Long[]::new);
    return query(EXPIRE, Tuple.of(ns).addArrayOfLong(distinct).addOffsetDateTime(PgRows.toDb(at)))
        .mapEmpty();
  }

  Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    return query(EXPIRED, Tuple.of(ns).addArrayOfLong(jids.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, Instant> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getLong(0), PgRows.instant(r, 1));
          }
          return out;
        });
  }

  Future<NamespaceUsage> usage(String ns) {
    return query(USAGE, Tuple.of(ns)).compose(rows -> {
      Row r = rows.iterator().next();
      return r.getValue(0) == null
          ? Future.failedFuture(CairnException.notFound("no namespace " + ns))
          : Future.succeededFuture(new NamespaceUsage(ns, r.getLong(0), r.getLong(1), r.getLong(2)));
    });
  }

  Future<Map<String, Long>> namespaceSettings(String ns) {
    return query("SELECT key, value FROM namespace_settings WHERE ns = $1", Tuple.of(ns)).map(rows -> {
      Map<String, Long> out = new java.util.TreeMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
      return out;
    });
  }

  Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    return pool.withTransaction(conn -> {
      Future<?> chain = Future.succeededFuture();
      for (Map.Entry<String, Long> e : settings.entrySet()) {
        chain = chain.compose(x -> e.getValue() == null
            ? conn.preparedQuery("DELETE FROM namespace_settings WHERE ns = $1 AND key = $2")
                .execute(Tuple.of(ns, e.getKey()))
            : conn.preparedQuery("INSERT INTO namespace_settings (ns, key, value) VALUES ($1, $2, $3)"
                    + " ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value")
                .execute(Tuple.of(ns, e.getKey(), e.getValue())));
      }
      return chain.<Void>mapEmpty();
    }).recover(err -> Future.failedFuture(PgErrors.map(err)));
  }

  /** The non-null rows mapped; NOT_FOUND when the namespace (joined in first) does not exist. */
  private <T> Future<List<T>> inNamespace(
      String ns, String sql, Tuple args, Function<Row, T> map) {
    return query(sql, args)
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(CairnException.notFound("no namespace " + ns));
              }
              List<T> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                T t = map.apply(r);
                if (t != null) {
                  out.add(t);
                }
              }
              return Future.succeededFuture(out);
            });
  }

  private Future<RowSet<Row>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .recover(err -> Future.failedFuture(PgErrors.map(err)));
  }
}
