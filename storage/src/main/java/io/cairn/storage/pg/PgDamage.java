package io.cairn.storage.pg;

import io.cairn.core.ChunkHash;
import io.cairn.storage.DamagedChunk;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The damaged-chunk records and maintenance values of ADR 0016, on PostgreSQL. */
final class PgDamage {
  /** A chunk's first record stays. */
  private static final String MARK =
      "INSERT INTO damaged_chunks (hash, problem, found_at)"
          + " SELECT unnest($1::text[]), unnest($2::text[]), $3 ON CONFLICT (hash) DO NOTHING";
  private static final String COLUMNS = "SELECT hash, problem, found_at FROM damaged_chunks";

  private final Pool pool;

  PgDamage(Pool pool) {
    this.pool = pool;
  }

  Future<Void> mark(Map<ChunkHash, String> problems, Instant at) {
    if (problems.isEmpty()) {
      return Future.succeededFuture();
    }
    // Sorted, so that two nodes marking the same chunks lock rows in one order.
    TreeMap<String, String> sorted = new TreeMap<>();
    problems.forEach((h, p) -> sorted.put(h.hex(), p));
    Tuple args = Tuple.tuple()
        .addArrayOfString(sorted.keySet().toArray(String[]::new))
        .addArrayOfString(sorted.values().toArray(String[]::new))
        .addLong(at.toEpochMilli());
    return query(MARK, args).mapEmpty();
  }

  Future<Void> clear(Collection<ChunkHash> hashes) {
    return query("DELETE FROM damaged_chunks WHERE hash = ANY($1)", Tuple.tuple().addArrayOfString(hexes(hashes)))
        .mapEmpty();
  }

  Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    return query(COLUMNS + " WHERE hash = ANY($1)", Tuple.tuple().addArrayOfString(hexes(hashes)))
        .map(rows -> {
          Map<ChunkHash, DamagedChunk> out = new HashMap<>();
          for (Row r : rows) {
            DamagedChunk d = record(r);
            out.put(d.hash(), d);
          }
          return out;
        });
  }

  Future<List<DamagedChunk>> list(ChunkHash after, int limit) {
    return query(COLUMNS + " WHERE hash > $1 ORDER BY hash LIMIT $2",
            Tuple.of(after == null ? "" : after.hex(), Math.max(limit, 0)))
        .map(rows -> {
          List<DamagedChunk> out = new ArrayList<>();
          rows.forEach(r -> out.add(record(r)));
          return out;
        });
  }

  Future<String> value(String key) {
    return query("SELECT value FROM maintenance_values WHERE key = $1", Tuple.of(key))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  Future<Void> setValue(String key, String value, long now) {
    if (value == null) {
      return query("DELETE FROM maintenance_values WHERE key = $1", Tuple.of(key)).mapEmpty();
    }
    return query("INSERT INTO maintenance_values (key, value, updated_at) VALUES ($1, $2, $3)"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        Tuple.of(key, value, now)).mapEmpty();
  }

  private static DamagedChunk record(Row r) {
    return new DamagedChunk(ChunkHash.parse(r.getString(0)), r.getString(1), Instant.ofEpochMilli(r.getLong(2)));
  }

  private static String[] hexes(Collection<ChunkHash> hashes) {
    return hashes.stream().map(ChunkHash::hex).distinct().sorted().toArray(String[]::new);
  }

  private Future<RowSet<Row>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).recover(err -> Future.failedFuture(PgErrors.map(err)));
  }
}
