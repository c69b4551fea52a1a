package io.cairn.server.scrub;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Journal;
import io.cairn.storage.StoredChunk;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One stretch of a scrub pass: from a {@link ScrubPosition}, reads every stored chunk in name order
 * ({@link ChunkStore#listStored}), no faster than {@code bytesPerSecond}, and re-hashes it against
 * its name. A chunk that does not hash to its name, or that a retained version names and the store
 * no longer has, is recorded as damaged in the journal ({@link Journal#markDamaged}) and told to
 * the {@link Observer} with the places that need it. The position is saved in the journal every
 * {@link #SAVE_EVERY} and when the stretch ends, so that the pass resumes where it stopped.
 * Blocks its thread (a virtual one); an interrupt ends the stretch.
 */
final class Scrubber {
  static final int PAGE = 1_000;
  static final Duration SAVE_EVERY = Duration.ofSeconds(10);
  /** Per read: a chunk of a few MiB takes well under this from any working store. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  /** What the scrub found, and whether it may go on. */
  interface Observer {
    /** Called before each chunk: false ends the stretch (the lease is lost, the server closes). */
    boolean mayGoOn();

    /** One chunk of {@code bytes} bytes read and checked. */
    void checked(long bytes);

    /** A chunk found damaged ({@code problem}), and the places that need it (empty: none). */
    void damaged(ChunkHash hash, String problem, List<String> places);
  }

  private final Journal journal;
  private final ChunkStore store;
  private final Clock clock;
  private final long bytesPerSecond;
  private final Observer observer;
  private final ChunkUsers users;

  /** {@code bytesPerSecond} 0 or less: no limit. */
  Scrubber(Journal journal, ChunkStore store, Clock clock, long bytesPerSecond, Observer observer) {
    this.journal = journal;
    this.store = store;
    this.clock = clock;
    this.bytesPerSecond = bytesPerSecond;
    this.observer = observer;
    this.users = new ChunkUsers(journal);
  }

  /**
   * Scrubs from {@code from} (a pass under way) until the pass ends, the observer says stop or the
   * thread is interrupted; the position reached, saved. Fails with {@link ScrubFailure} when the
   * storage fails (the position saved last stays).
   */
  ScrubPosition run(ScrubPosition from) {
    ScrubPosition at = from;
    long started = System.nanoTime();
    long bytesThisStretch = 0;
    long lastSave = clock.millis();
    try {
      while (true) {
        List<StoredChunk> page = ChunkUsers.await(store.listStored(at.after(), PAGE), "list the stored chunks");
        for (StoredChunk chunk : page) {
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          if (!observer.mayGoOn()) {
            return save(at);
          }
          Checked c = check(chunk.hash());
          bytesThisStretch += c.bytes();
          at = new ScrubPosition(chunk.hash(), at.passStarted(), null, at.checked() + 1, at.bytes() + c.bytes(),
              at.damaged() + (c.damaged() ? 1 : 0));
          observer.checked(c.bytes());
          if (clock.millis() - lastSave >= SAVE_EVERY.toMillis()) {
            save(at);
            lastSave = clock.millis();
          }
          throttle(started, bytesThisStretch);
        }
        if (page.size() < PAGE) {
          return save(new ScrubPosition(null, at.passStarted(), clock.instant(), at.checked(), at.bytes(),
              at.damaged()));
        }
      }
    } catch (InterruptedException e) {
      try {
        return save(at); // the flag is clear here, so the journal's answer can be waited for
      } finally {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What checking one chunk read, and whether it was found damaged. */
  private record Checked(long bytes, boolean damaged) {}

  private static final Checked GONE = new Checked(0, false);

  private Checked check(ChunkHash hash) throws InterruptedException {
    Buffer data;
    try {
      data = store.get(hash).toCompletionStage().toCompletableFuture()
          .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CairnException c && c.kind() == CairnException.Kind.NOT_FOUND) {
        // Gone since the listing: gc deleted it, unless a retained version still names it.
        return users.of(hash).isEmpty() ? GONE : damaged(hash, DamagedChunk.MISSING, 0);
      }
      if (e.getCause() instanceof CairnException c && c.kind() == CairnException.Kind.DAMAGED) {
        // The store checked the bytes itself (S3); it read the chunk's length or so.
        return damaged(hash, DamagedChunk.notItsHash(c.getMessage()), 0);
      }
      throw new ScrubFailure("cannot read chunk " + hash.hex() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ScrubFailure("cannot read chunk " + hash.hex() + ": no answer within " + READ_TIMEOUT, e);
    }
    ChunkHash actual = ChunkHash.sha256(data.getBytes());
    if (!actual.equals(hash)) {
      return damaged(hash, DamagedChunk.notItsHash("its bytes hash to " + actual.hex()), data.length());
    }
    return new Checked(data.length(), false);
  }

  private Checked damaged(ChunkHash hash, String problem, long bytes) {
    List<String> places = users.of(hash);
    ChunkUsers.await(journal.markDamaged(Map.of(hash, problem), clock.instant()), "record chunk " + hash.hex() + " as damaged");
    observer.damaged(hash, problem, places);
    return new Checked(bytes, true);
  }

  /** Sleeps until {@code bytes} read since {@code startedNanos} fit the rate. */
  private void throttle(long startedNanos, long bytes) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due = startedNanos + (long) (bytes * 1e9 / bytesPerSecond);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private ScrubPosition save(ScrubPosition at) {
    ChunkUsers.await(journal.setMaintenanceValue(ScrubPosition.KEY, at.encode()), "save the scrub's position");
    return at;
  }
}
