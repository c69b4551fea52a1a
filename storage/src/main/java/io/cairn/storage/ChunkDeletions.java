package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Garbage collection's record of the chunks it is deleting, kept in the journal's database so
 * that every node sees it (ADR 0015). It closes the window in which an upload relies on a chunk
 * (finds it present, refreshes it) between gc's check of the chunk's age and its deletion, which
 * on S3 are two requests.
 *
 * <p>A counter, the <em>deletion epoch</em>, grows by one each time a batch of deletions is
 * announced or ends, in the order those writes commit. gc announces a batch ({@link #announce})
 * before it checks and deletes any of its chunks, and ends it ({@link #end}) after the last
 * deletion answered. An upload reads the epoch ({@link #epoch}) before it stores or relies on
 * its first chunk; before it commits a version naming chunks, it asks {@link #deletingSince}
 * which of them a batch may have deleted since: a batch still open, or one that ended after that
 * epoch. Those are the only chunks gc can have deleted under it (the ADR's proof).
 *
 * <p>A commit whose chunks were found present without being refreshed (the sync API answers a
 * chunk present when a retained version names it) makes the same check again inside its own
 * transaction ({@link Change.Put#deletionEpoch}), and {@link #announce} is ordered against it:
 * an announcement commits either before such a commit's check or after its row (PostgreSQL: the
 * announcement takes a transaction-scoped advisory lock exclusively, the commit shares it; SQLite:
 * both run on the journal's one writer).
 *
 * <p>Failures are {@link io.cairn.core.CairnException}s: TRANSIENT when the database cannot be
 * reached. Thread-safe; futures complete as the journal's do.
 */
public interface ChunkDeletions {
  /**
   * A batch still open this long after it was announced belongs to a gc run that died (a batch
   * lasts seconds): commits stop waiting for it, and the next run ends it ({@link #forget}).
   */
  Duration ABANDONED_AFTER = Duration.ofHours(1);

  /**
   * What a commit checked in its transaction ({@link Change.Put#deletionEpoch}) fails with when
   * {@code chunks} of its chunks are in a batch it must not ignore: TRANSIENT (503), nothing
   * written; the caller asks the store which of them are gone, or sends the commit again.
   */
  static CairnException deletedUnder(int chunks) {
    return new CairnException(CairnException.Kind.TRANSIENT, "garbage collection began deleting " + chunks
        + " chunk(s) this commit names after the commit's check; nothing was committed: send it again",
        new DeletedUnder());
  }

  /**
   * Whether {@code failure} is {@link #deletedUnder}'s refusal, which certainly committed nothing,
   * and not another TRANSIENT failure (a connection lost while committing may have committed).
   */
  static boolean isDeletedUnder(Throwable failure) {
    return failure instanceof CairnException e && e.getCause() instanceof DeletedUnder;
  }

  /** The cause that marks {@link #deletedUnder}'s refusal; carries no stack trace. */
  final class DeletedUnder extends RuntimeException {
    private DeletedUnder() {
      super("a batch of deletions names a chunk of the commit", null, false, false);
    }
  }

  /** The current deletion epoch (0 before any batch): what an upload notes before its first chunk. */
  Future<Long> epoch();

  /**
   * Which of {@code hashes} are in a batch that is still open, or that ended after {@code
   * epoch}: the chunks gc may have deleted since an upload that noted {@code epoch} began to rely
   * on them. {@code Long.MAX_VALUE} asks which are in an open batch.
   */
  Future<Set<ChunkHash>> deletingSince(long epoch, Collection<ChunkHash> hashes);

  /**
   * Which of {@code hashes} are in a batch still open that was announced after {@code
   * announcedAfter}: the chunks whose deletion may still be in flight (an open batch announced
   * before it was left by a run that died).
   */
  Future<Set<ChunkHash>> deleting(Collection<ChunkHash> hashes, Instant announcedAfter);

  /**
   * Announces that gc is about to check and delete {@code hashes}, durably, before it touches any
   * of them; {@code at} is when, by gc's clock (for {@link #forget}). Answers the batch's id, to
   * {@link #end} it with. Waits for the commits checking the record in their transactions at that
   * moment ({@link Change.Put#deletionEpoch}): when it completes, each of them has committed (gc's
   * next read of the journal sees its row) or will see this batch.
   */
  Future<Long> announce(Collection<ChunkHash> hashes, Instant at);

  /** Ends batch {@code batch}: none of its deletions is in flight any more. Ending it twice is no error. */
  Future<Void> end(long batch);

  /**
   * Housekeeping at the start of a gc run: ends every batch announced before {@code abandonedBefore}
   * that is still open (its run died: a batch lasts seconds), and forgets batches that ended and
   * were announced before {@code endedBefore} (no upload lasts that long; ADR 0015). Answers how
   * many abandoned batches it ended.
   */
  Future<Integer> forget(Instant abandonedBefore, Instant endedBefore);
}
