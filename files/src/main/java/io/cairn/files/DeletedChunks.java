package io.cairn.files;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkDeletions;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.JournalRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The check every commit of uploaded chunks makes last (ADR 0015): which chunks it relied on
 * since deletion epoch {@code since} that garbage collection may have deleted meanwhile, and that
 * are not stored now. gc announces each batch of deletions before it checks and deletes, and ends
 * it after; a chunk in a batch still open, or ended after {@code since}, is suspect. The answer
 * waits (at most {@link #WAIT}) for the suspects' batches to end, then asks the store which of
 * them are gone: a batch usually keeps the chunk an upload refreshed, and on the local disk always
 * does. A suspect still in an open batch after the wait counts as gone, unless that batch was
 * abandoned ({@link ChunkDeletions#ABANDONED_AFTER}).
 */
final class DeletedChunks {
  /** How long a commit waits for a batch of deletions naming its chunks to end. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** How many times {@link #commit} tries a commit whose own check a new batch refused. */
  static final int ATTEMPTS = 3;

  private final ChunkDeletions deletions;
  private final ChunkStore chunks;
  private final Clock clock;

  DeletedChunks(ChunkDeletions deletions, ChunkStore chunks, Clock clock) {
    this.deletions = deletions;
    this.chunks = chunks;
    this.clock = clock;
  }

  /** The deletion epoch now: noted before an upload stores or relies on its first chunk. */
  long epoch() {
    return Await.result(deletions.epoch());
  }

  /**
   * The chunks of {@code blocklist}, each once in their order, that gc deleted after {@code since}
   * and that the store lacks now (or that gc is still deleting): empty when the commit may go
   * ahead.
   */
  List<ChunkHash> gone(long since, Blocklist blocklist) {
    Set<ChunkHash> named = named(blocklist);
    Set<ChunkHash> suspects = suspects(since, named);
    if (suspects.isEmpty()) {
      return List.of();
    }
    Set<ChunkHash> gone = stillDeleting(suspects);
    if (gone.isEmpty()) {
      gone = Await.result(chunks.missing(suspects));
    }
    return inOrder(named, gone);
  }

  /**
   * What the check before a commit found: the chunks gone (nothing may be committed: 409
   * missing_chunks), or none and the deletion epoch the commit's own check in its transaction
   * starts from ({@link Change.Put#deletionEpoch}).
   */
  record Check(List<ChunkHash> gone, long since) {}

  /**
   * The check before a commit of chunks the caller found present since {@code since} without
   * refreshing them (the sync API: present because a retained version names them), which the
   * commit makes again in its transaction (ADR 0015, case 8). As {@link #gone}, except that when
   * every suspect is stored after its batch ended, the answer's epoch is one read after those
   * batches ended, and the store is asked about every chunk of the blocklist after it: a commit
   * checking from the old epoch would be refused for batches that kept its chunks.
   */
  Check beforeCommit(long since, Blocklist blocklist) {
    Set<ChunkHash> named = named(blocklist);
    Set<ChunkHash> suspects = suspects(since, named);
    if (suspects.isEmpty()) {
      return new Check(List.of(), since);
    }
    Set<ChunkHash> open = stillDeleting(suspects);
    if (!open.isEmpty()) {
      return new Check(inOrder(named, open), since);
    }
    long now = epoch();
    return new Check(inOrder(named, Await.result(chunks.missing(named))), now);
  }

  /**
   * Commits through {@code commit}, given the epoch its put is checked from in its transaction,
   * after {@link #beforeCommit} answered {@code checked} with no chunk gone. When that check
   * refuses (TRANSIENT: a batch naming a chunk was announced in between), checks again outside
   * the transaction: chunks gone answer 409 missing_chunks; a batch that kept them all, another
   * attempt from the later epoch, at most {@link #ATTEMPTS} in all; after that, or for a refusal
   * with no batch naming a chunk, the refusal stands (503: send it again). Only that refusal is
   * tried again ({@link ChunkDeletions#isDeletedUnder}): another TRANSIENT failure, such as a
   * connection lost while committing, may have committed, and a second attempt could write the
   * version twice or answer 412 for a write that landed.
   */
  FileService.Commit commit(Check checked, Blocklist blocklist, LongFunction<JournalRow> commit) {
    long since = checked.since();
    for (int attempt = 1; ; attempt++) {
      try {
        return new FileService.Commit(List.of(), commit.apply(since));
      } catch (CairnException refused) {
        if (!ChunkDeletions.isDeletedUnder(refused) || attempt == ATTEMPTS) {
          throw refused;
        }
        Check again = beforeCommit(since, blocklist);
        if (!again.gone().isEmpty()) {
          return new FileService.Commit(again.gone(), null);
        }
        if (again.since() == since) {
          throw refused;
        }
        since = again.since();
      }
    }
  }

  /** The chunks of {@code named} in a batch still open or ended after {@code since}: one indexed read. */
  private Set<ChunkHash> suspects(long since, Set<ChunkHash> named) {
    return named.isEmpty() ? Set.of() : Await.result(deletions.deletingSince(since, named));
  }

  private static Set<ChunkHash> named(Blocklist blocklist) {
    Set<ChunkHash> named = new LinkedHashSet<>();
    for (BlockRef b : blocklist.blocks()) {
      named.add(b.hash());
    }
    return named;
  }

  /** The chunks of {@code named} in {@code subset}, in the order of {@code named}. */
  private static List<ChunkHash> inOrder(Set<ChunkHash> named, Set<ChunkHash> subset) {
    List<ChunkHash> out = new ArrayList<>();
    for (ChunkHash h : named) {
      if (subset.contains(h)) {
        out.add(h);
      }
    }
    return out;
  }

  /** TRANSIENT (503: send it again) unless {@link #gone} is empty. */
  void requireNoneGone(long since, Blocklist blocklist) {
    List<ChunkHash> gone = gone(since, blocklist);
    if (!gone.isEmpty()) {
      throw new CairnException(CairnException.Kind.TRANSIENT, "garbage collection deleted " + gone.size()
          + " chunk(s) this upload relied on while it ran; nothing was stored: send it again");
    }
  }

  /** Waits for the batches naming {@code suspects} to end; answers the suspects still in one after {@link #WAIT}. */
  private Set<ChunkHash> stillDeleting(Set<ChunkHash> suspects) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long pauseMs = 5;
    while (true) {
      Instant abandoned = clock.instant().minus(ChunkDeletions.ABANDONED_AFTER);
      Set<ChunkHash> open = Await.result(deletions.deleting(suspects, abandoned));
      if (open.isEmpty() || System.nanoTime() > deadline) {
        return open;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return open;
      }
      pauseMs = Math.min(pauseMs * 2, 200);
    }
  }
}
