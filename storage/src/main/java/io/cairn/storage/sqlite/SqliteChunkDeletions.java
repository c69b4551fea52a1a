package io.cairn.storage.sqlite;

import io.cairn.core.BlockRef;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkDeletions;
import io.vertx.core.Future;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link ChunkDeletions} in SQLite (migration V9): writes run on the journal's one writer, so the
 * epoch follows their commit order; reads on its readers. A commit's own check ({@link
 * #requireKept}) runs on the writer too, inside the commit: an announcement runs wholly before or
 * after it.
 */
final class SqliteChunkDeletions implements ChunkDeletions {
  /** How a piece of work reaches the journal's writer, or one of its readers. */
  interface Runner {
    <T> Future<T> run(SqliteWriter.Work<T> work);
  }

  private final Runner writer;
  private final Runner reader;

  SqliteChunkDeletions(Runner writer, Runner reader) {
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Future<Long> epoch() {
    return reader.run(db -> db.number("SELECT epoch FROM gc_epoch WHERE id = 1"));
  }

  @Override
  public Future<Set<ChunkHash>> deletingSince(long epoch, Collection<ChunkHash> hashes) {
    return hashesWhere("(ended IS NULL OR ended > ?)", hashes, epoch);
  }

  @Override
  public Future<Set<ChunkHash>> deleting(Collection<ChunkHash> hashes, Instant announcedAfter) {
    return hashesWhere("ended IS NULL AND announced_at > ?", hashes, announcedAfter.toEpochMilli());
  }

  /** Which of {@code hashes} a row of gc_deletions matching {@code condition} (one parameter) names. */
  private Future<Set<ChunkHash>> hashesWhere(String condition, Collection<ChunkHash> hashes, long parameter) {
    return reader.run(db -> hashesWhere(db, condition, hashes, parameter));
  }

  private static Set<ChunkHash> hashesWhere(SqliteConnection db, String condition, Collection<ChunkHash> hashes,
      Object... parameters) throws SQLException {
    Set<ChunkHash> out = new HashSet<>();
    if (!hashes.isEmpty()) {
      Object[] args = new Object[parameters.length + 1];
      SqliteRows.In in = SqliteRows.In.of("hash", hashes.stream().map(ChunkHash::hex).distinct().toList());
      args[0] = in.parameter();
      System.arraycopy(parameters, 0, args, 1, parameters.length);
      db.list("SELECT DISTINCT hash FROM gc_deletions WHERE " + in.condition() + " AND "
          + condition, rs -> out.add(ChunkHash.parse(rs.getString(1))), args);
    }
    return out;
  }

  /**
   * Inside a commit on the writer: when {@code put} is to be checked ({@link
   * Change.Put#deletionEpoch}), fails with TRANSIENT when a chunk of its blocklist is in a batch
   * ended after that epoch, or open and announced after {@code now} minus ABANDONED_AFTER.
   */
  static void requireKept(SqliteConnection db, Change.Put put, Instant now) throws SQLException {
    if (put.deletionEpoch() == null) {
      return;
    }
    Set<ChunkHash> suspects = hashesWhere(db, "(ended > ? OR (ended IS NULL AND announced_at > ?))",
        put.blocklist().blocks().stream().map(BlockRef::hash).toList(), put.deletionEpoch(),
        now.minus(ABANDONED_AFTER).toEpochMilli());
    if (!suspects.isEmpty()) {
      throw ChunkDeletions.deletedUnder(suspects.size());
    }
  }

  @Override
  public Future<Long> announce(Collection<ChunkHash> hashes, Instant at) {
    if (hashes.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a batch of no chunks"));
    }
    Set<String> hexes = new HashSet<>(hashes.stream().map(ChunkHash::hex).toList());
    return writer.run(db -> {
      long batch = raise(db);
      for (String hash : hexes) {
        db.update("INSERT INTO gc_deletions (hash, batch, ended, announced_at) VALUES (?, ?, NULL, ?)",
            hash, batch, at.toEpochMilli());
      }
      return batch;
    });
  }

  @Override
  public Future<Void> end(long batch) {
    return writer.run(db -> {
      db.update("UPDATE gc_deletions SET ended = ? WHERE batch = ? AND ended IS NULL", raise(db), batch);
      return null;
    });
  }

  @Override
  public Future<Integer> forget(Instant abandonedBefore, Instant endedBefore) {
    return writer.run(db -> {
      int ended = db.update("UPDATE gc_deletions SET ended = ? WHERE ended IS NULL AND announced_at < ?",
          raise(db), abandonedBefore.toEpochMilli());
      db.update("DELETE FROM gc_deletions WHERE ended IS NOT NULL AND announced_at < ?", endedBefore.toEpochMilli());
      return ended;
    });
  }

  private static long raise(SqliteConnection db) throws SQLException {
    db.update("UPDATE gc_epoch SET epoch = epoch + 1 WHERE id = 1");
    return db.number("SELECT epoch FROM gc_epoch WHERE id = 1");
  }
}
