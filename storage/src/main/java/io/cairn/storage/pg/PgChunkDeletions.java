package io.cairn.storage.pg;

import io.cairn.core.BlockRef;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkDeletions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link ChunkDeletions} in PostgreSQL (migration V9). Each write is one statement: it raises the
 * epoch row under that row's lock and writes the batch with the new value, so epochs follow the
 * order in which announcements and ends commit, across every node.
 *
 * <p>An announcement holds a transaction-scoped advisory lock ({@link #ANNOUNCING}) exclusively;
 * a commit that checks the record in its transaction ({@link #requireKept}) holds it shared from
 * before its check to its commit. So an announcement commits either before the check starts,
 * which then sees the batch (the check is a statement of its own after the lock is granted, with
 * a snapshot taken then), or after the commit's row. Shared holders do not wait for one another:
 * commits only wait for an announcement in flight (one statement), and an announcement for the
 * commits in flight. A commit asks for the shared lock only once it holds its namespace's lock
 * ({@link PgCommit}), so an announcement never waits for a commit that waits for a namespace.
 */
final class PgChunkDeletions implements ChunkDeletions {
  /** The advisory lock key ordering announcements against commits' checks; "cairnGC". */
  static final long ANNOUNCING = 0x636169726e4743L;
  private static final String RAISE = "WITH e AS (UPDATE gc_epoch SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch) ";

  static final String ANNOUNCE = RAISE
      + "INSERT INTO gc_deletions (hash, batch, ended, announced_at)"
      + " SELECT h, (SELECT epoch FROM e), NULL, $2 FROM unnest($1::text[]) AS h RETURNING batch";

  private static final String END = RAISE
      + "UPDATE gc_deletions SET ended = (SELECT epoch FROM e) WHERE batch = $1 AND ended IS NULL";

  private static final String END_ABANDONED = RAISE
      + "UPDATE gc_deletions SET ended = (SELECT epoch FROM e) WHERE ended IS NULL AND announced_at < $1";

  private static final String DELETING_SINCE =
      "SELECT DISTINCT hash FROM gc_deletions WHERE hash = ANY($1) AND (ended IS NULL OR ended > $2)";

  /** {@link #DELETING_SINCE}, but a batch left open longer than ABANDONED_AFTER (at $3) is no suspect. */
  private static final String DELETED_SINCE_OR_DELETING = "SELECT DISTINCT hash FROM gc_deletions"
      + " WHERE hash = ANY($1) AND (ended > $2 OR (ended IS NULL AND announced_at > $3))";

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
    Tuple batch = Tuple.tuple().addArrayOfString(hexes(hashes)).addLong(at.toEpochMilli());
    return pool.withTransaction(conn -> {
      Future<RowSet<Row>> locked = conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ANNOUNCING));
      Future<RowSet<Row>> announced = conn.preparedQuery(ANNOUNCE).execute(batch); // pipelined: runs once locked
      return Future.all(locked, announced).map(done -> announced.result().iterator().next().getLong(0));
    }).recover(err -> Future.failedFuture(PgErrors.map(err)));
  }

  /**
   * In a commit's transaction on {@code conn}: when {@code change} is a put to be checked ({@link
   * Change.Put#deletionEpoch}), takes the announcement lock shared and fails with TRANSIENT when a
   * chunk of its blocklist is in a batch ended after that epoch, or open and announced after
   * {@code now} minus ABANDONED_AFTER. Both statements are sent at once, before the caller's next,
   * so the check costs no round trip of its own; the lock is held until the transaction ends.
   */
  static Future<Void> requireKept(SqlConnection conn, Change change, Instant now) {
    if (!(change instanceof Change.Put put) || put.deletionEpoch() == null || put.blocklist().blocks().isEmpty()) {
      return Future.succeededFuture();
    }
    Future<RowSet<Row>> locked = conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)")
        .execute(Tuple.of(ANNOUNCING));
    Future<RowSet<Row>> suspects = conn.preparedQuery(DELETED_SINCE_OR_DELETING).execute(Tuple.tuple()
        .addArrayOfString(hexes(put.blocklist().blocks().stream().map(BlockRef::hash).toList()))
        .addLong(put.deletionEpoch())
        .addLong(now.minus(ABANDONED_AFTER).toEpochMilli()));
    return Future.all(locked, suspects).compose(done -> suspects.result().size() == 0
        ? Future.succeededFuture()
        : Future.failedFuture(ChunkDeletions.deletedUnder(suspects.result().size())));
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
