package io.cairn.storage.pg;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkDeletions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link ChunkDeletions} in PostgreSQL (migration V9). Each write is one statement: it raises the
 * epoch row under that row's lock and writes the batch with the new value, so epochs follow the
 * order in which announcements and ends commit, across every node.
 */
final class PgChunkDeletions implements ChunkDeletions {
  private static final String RAISE = "WITH e AS (UPDATE gc_epoch SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch) ";

  private static final String ANNOUNCE = RAISE
      + "INSERT INTO gc_deletions (hash, batch, ended, announced_at)"
      + " SELECT h, (SELECT epoch FROM e), NULL, $2 FROM unnest($1::text[]) AS h RETURNING batch";

  private static final String END = RAISE
      + "UPDATE gc_deletions SET ended = (SELECT epoch FROM e) WHERE batch = $1 AND ended IS NULL";

  private static final String END_ABANDONED = RAISE
      + "UPDATE gc_deletions SET ended = (SELECT epoch FROM e) WHERE ended IS NULL AND announced_at < $1";

  private static final String DELETING_SINCE =
      "SELECT DISTINCT hash FROM gc_deletions WHERE hash = ANY($1) AND (ended IS NULL OR ended > $2)";

  private final Pool pool;

  PgChunkDeletions(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Long> epoch() {
    return query("SELECT epoch FROM gc_epoch WHERE id = 1", Tuple.tuple())
        .map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Set<ChunkHash>> deletingSince(long epoch, Collection<ChunkHash> hashes) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture(new HashSet<>());
    }
    return query(DELETING_SINCE, Tuple.tuple().addArrayOfString(hexes(hashes)).addLong(epoch))
        .map(PgRetained::hashes);
  }


  @Override
  public Future<Set<ChunkHash>> deleting(Collection<ChunkHash> hashes, Instant announcedAfter) {
    if (hashes.isEmpty()) {
      return Future.succeededFuture(new HashSet<>());
    }
    return query("SELECT DISTINCT hash FROM gc_deletions WHERE hash = ANY($1) AND ended IS NULL AND announced_at > $2",
        Tuple.tuple().addArrayOfString(hexes(hashes)).addLong(announcedAfter.toEpochMilli())).map(PgRetained::hashes);
  }

  @Override
  public Future<Long> announce(Collection<ChunkHash> hashes, Instant at) {
    if (hashes.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a batch of no chunks"));
    }
    return query(ANNOUNCE, Tuple.tuple().addArrayOfString(hexes(hashes)).addLong(at.toEpochMilli()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Void> end(long batch) {
    return query(END, Tuple.of(batch)).mapEmpty();
  }

  @Override
  public Future<Integer> forget(Instant abandonedBefore, Instant endedBefore) {
    return query(END_ABANDONED, Tuple.of(abandonedBefore.toEpochMilli()))
        .compose(ended -> query("DELETE FROM gc_deletions WHERE ended IS NOT NULL AND announced_at < $1",
            Tuple.of(endedBefore.toEpochMilli())).map(deleted -> ended.rowCount()));
  }

  private static String[] hexes(Collection<ChunkHash> hashes) {
    return hashes.stream().map(ChunkHash::hex).distinct().sorted().toArray(String[]::new);
  }

  private Future<RowSet<Row>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).recover(err -> Future.failedFuture(PgErrors.map(err)));
  }
}
