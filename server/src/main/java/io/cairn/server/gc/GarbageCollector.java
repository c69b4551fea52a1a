package io.cairn.server.gc;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.server.retained.RetainedVersions;
import io.cairn.storage.ChunkDeletions;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.StoredChunk;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One mark-and-sweep run over a journal and its chunk store (ADR 0012).
 *
 * <ol>
 *   <li>Mark: the run's start time is taken, then every chunk that a journal row, a stored entry
 *       or a file in the trash of any namespace names is marked ({@link RetainedVersions}, the
 *       walk fsck checks). Any error while reading aborts the run before anything is deleted.
 *   <li>Sweep: the store is listed in batches; a chunk not marked is deleted when it was last
 *       modified at least the grace period before the run started, and kept for grace otherwise.
 *       The deletion itself re-checks that time ({@link ChunkStore#deleteIfNotModifiedAfter}), so
 *       a chunk an upload found present meanwhile stays. Deletions run a few at a time, at most
 *       {@code deletesPerSecond}, in batches of up to a page (at most a second's deletions at
 *       that pace), each announced in the journal before the first of its chunks is checked and
 *       ended after the last answered ({@link ChunkDeletions}, ADR 0015): an upload that relied
 *       on one of them meanwhile learns it before it commits. Between the announcement and the
 *       first check the run reads what was committed since the mark read each namespace, and
 *       marks what those versions name: a sync API commit may name a chunk only an expired
 *       version named, which nothing refreshed.
 * </ol>
 *
 * Blocking, on the caller's thread (never a Vert.x event loop); one run per object.
 */
public final class GarbageCollector {
  /** Stored chunks listed per request, and the most deletions announced as one batch. */
  static final int BATCH = 1_000;
  private static final int DELETES_IN_FLIGHT = 16;

  /** What a run found and did; with {@code dryRun} the swept figures say what would have gone. */
  public record Summary(
      Instant started, Duration took, boolean dryRun, long markedChunks, long markedBytes,
      long storedChunks, long sweptChunks, long sweptBytes, long keptForGraceChunks, long keptForGraceBytes) {}

  /** What a run tells its caller as it goes. All methods are called on the run's thread. */
  public interface Observer {
    /** {@code chunk} was deleted (or, in a dry run, would be). */
    default void swept(StoredChunk chunk, boolean dryRun) {}

    /** A line on how far the run is, at most every {@code progressEvery}. */
    default void progress(String line) {}

    /** Asked after each page read and batch swept: false stops the run (its lease was lost). */
    default boolean mayGoOn() {
      return true;
    }
  }

  private final Journal journal;
  private final ChunkDeletions deletions;
  private final ChunkStore store;
  private final Clock clock;
  private final Duration grace;
  private final int deletesPerSecond;
  private final Duration progressEvery;
  private final MarkedChunks marked = new MarkedChunks();
  /** Per namespace, the last jid whose row the mark (or a later catch-up) has read. */
  private final Map<String, Long> readUpTo = new HashMap<>();
  private long markedBytes;
  private long stored;
  private long swept;
  private long sweptBytes;
  private long kept;
  private long keptBytes;
  private long lastProgress;

  public GarbageCollector(Journal journal, ChunkStore store, Clock clock, Duration grace,
      int deletesPerSecond, Duration progressEvery) {
    this.journal = journal;
    this.deletions = journal.chunkDeletions();
    this.store = store;
    this.clock = clock;
    this.grace = grace;
    this.deletesPerSecond = deletesPerSecond;
    this.progressEvery = progressEvery;
  }

  /**
   * Marks, then sweeps (or with {@code dryRun} only reports what it would delete).
   *
   * @throws GcFailure when the journal or the store fails or does not answer; during the mark
   *     nothing has been deleted
   */
  public Summary run(boolean dryRun, Observer observer) {
    Instant started = clock.instant();
    lastProgress = clock.millis();
    mark(started.minus(grace), observer);
    if (!dryRun) {
      await(deletions.forget(started.minus(ChunkDeletions.ABANDONED_AFTER), started.minus(grace)), "tidy the record of deletions");
    }
    sweep(started.minus(grace), dryRun, observer);
    return new Summary(started, Duration.between(started, clock.instant()), dryRun, marked.size(),
        markedBytes, stored, swept, sweptBytes, kept, keptBytes);
  }

  /**
   * Marks what the journal retains; a version or trash item expired after {@code expiredBefore}
   * (the same cutoff as the sweep's) still counts: a request may be reading or restoring it.
   */
  private void mark(Instant expiredBefore, Observer observer) {
    RetainedVersions retained = new RetainedVersions(journal, GarbageCollector::await, () -> {
      progress(observer);
      goOnOrStop(observer);
    }, expiredBefore);
    retained.forEachNamespace(ns -> {
      retained.forEachRow(ns, (row, kept) -> {
        readUpTo.put(ns, row.jid());
        if (kept) {
          mark(row.blocklist());
        }
      });
      retained.forEachEntry(ns, e -> mark(e.blocklist()));
      retained.forEachTrashedFile(ns, (item, e) -> mark(e.blocklist()));
    });
  }

  private void mark(Blocklist blocks) {
    for (BlockRef b : RetainedVersions.blocks(blocks).blocks()) {
      if (marked.add(b.hash())) {
        markedBytes += b.length();
      }
    }
  }

  private void sweep(Instant cutoff, boolean dryRun, Observer observer) {
    long pacingStart = System.nanoTime();
    long deletions = 0;
    ChunkHash after = null;
    while (true) {
      List<StoredChunk> page = await(store.listStored(after, BATCH), "list the stored chunks");
      List<StoredChunk> doomed = new ArrayList<>();
      for (StoredChunk c : page) {
        stored++;
        if (marked.contains(c.hash())) {
          continue;
        }
        if (c.lastModified().isAfter(cutoff)) {
          keptForGrace(c);
        } else {
          doomed.add(c);
        }
      }
      if (dryRun) {
        doomed.forEach(c -> counted(c, true, observer));
      } else {
        int most = batchSize();
        for (int from = 0; from < doomed.size(); from += most) {
          List<StoredChunk> batch = doomed.subList(from, Math.min(doomed.size(), from + most));
          delete(batch, cutoff, pacingStart, deletions, observer);
          deletions += batch.size();
        }
      }
      progress(observer);
      if (page.size() < BATCH) {
        return;
      }
      goOnOrStop(observer);
      after = page.getLast().hash();
    }
  }

  /**
   * The most deletions announced as one batch: a page, or one second of deletions at the
   * configured pace (at least a window in flight), so that a commit waiting for a batch to end
   * waits about a second, and gc re-reads the journal once per batch, not per window.
   */
  private int batchSize() {
    return deletesPerSecond <= 0 ? BATCH : Math.max(DELETES_IN_FLIGHT, Math.min(BATCH, deletesPerSecond));
  }

  /**
   * Deletes {@code batch} as one batch announced before and ended after (ADR 0015): once
   * announced, reads what was committed since the mark (once for the whole batch), then deletes
   * what that left unmarked, {@link #DELETES_IN_FLIGHT} at a time at the pace {@code done}
   * deletions since {@code pacingStart} allow.
   */
  private void delete(List<StoredChunk> batch, Instant cutoff, long pacingStart, long done, Observer observer) {
    long id = await(deletions.announce(batch.stream().map(StoredChunk::hash).toList(), clock.instant()),
        "announce a batch of deletions");
    boolean deleted = false;
    try {
      markCommittedSinceTheMark();
      List<StoredChunk> doomed = new ArrayList<>(batch.size());
      for (StoredChunk c : batch) {
        if (!marked.contains(c.hash())) { // else named by a version committed since the mark: counted as marked
          doomed.add(c);
        }
      }
      for (int from = 0; from < doomed.size(); from += DELETES_IN_FLIGHT) {
        pace(pacingStart, done + from);
        deleteWindow(doomed.subList(from, Math.min(doomed.size(), from + DELETES_IN_FLIGHT)), cutoff, observer);
      }
      deleted = true;
    } finally {
      end(id, deleted);
    }
  }

  private void deleteWindow(List<StoredChunk> window, Instant cutoff, Observer observer) {
    List<Future<Boolean>> pending = new ArrayList<>(window.size());
    for (StoredChunk c : window) {
      pending.add(store.deleteIfNotModifiedAfter(c.hash(), cutoff));
    }
    for (int i = 0; i < window.size(); i++) {
      StoredChunk c = window.get(i);
      if (await(pending.get(i), "delete chunk " + c.hash().hex())) {
        counted(c, false, observer);
      } else {
        keptForGrace(c); // refreshed by an upload since it was listed (or, rarely, gone already)
      }
    }
  }

  /**
   * Called once a batch is announced: marks what every version committed since the mark read its
   * namespace (or since the last such read) names, reading the rows of each namespace whose last
   * jid passed its cursor, also namespaces created since (cursor 0). A commit acknowledged before
   * the announcement is in the journal by now, and raised its namespace's last jid in its
   * transaction; one whose own check follows the announcement sees the batch (ADR 0015). A sync
   * API commit checks inside its transaction, which the announcement waited for: it committed
   * before the announcement, or its check sees the batch (case 8). Costs one listing of the
   * namespaces with their counters per batch (a read per 1,000 namespaces); each row is read at
   * most once per run (the namespace's cursor moves on).
   */
  private void markCommittedSinceTheMark() {
    String after = null;
    while (true) {
      List<NamespaceInfo> page = await(journal.namespaceInfos(after, RetainedVersions.PAGE), "list the namespaces");
      for (NamespaceInfo ns : page) {
        if (ns.lastJid() > readUpTo.getOrDefault(ns.name(), 0L)) {
          markCommittedSinceTheMark(ns.name());
        }
      }
      if (page.size() < RetainedVersions.PAGE) {
        return;
      }
      after = page.getLast().name();
    }
  }

  private void markCommittedSinceTheMark(String ns) {
    long upTo = readUpTo.getOrDefault(ns, 0L);
    while (true) {
      List<JournalRow> rows = await(journal.changes(ns, upTo, RetainedVersions.PAGE), "read the journal of " + ns);
      for (JournalRow row : rows) {
        mark(row.blocklist());
        upTo = row.jid();
      }
      readUpTo.put(ns, upTo);
      if (rows.size() < RetainedVersions.PAGE) {
        return;
      }
    }
  }

  /**
   * Ends a batch. When its deletions failed, a failure to end it is not reported over theirs: the
   * batch then stays open, so commits naming its chunks check the store, until the next run ends
   * it as abandoned.
   */
  private void end(long batch, boolean report) {
    try {
      await(deletions.end(batch), "end a batch of deletions");
    } catch (GcFailure e) {
      if (report) {
        throw e;
      }
    }
  }

  private void counted(StoredChunk c, boolean dryRun, Observer observer) {
    swept++;
    sweptBytes += c.size();
    observer.swept(c, dryRun);
  }

  private void keptForGrace(StoredChunk c) {
    kept++;
    keptBytes += c.size();
  }

  /** Sleeps until {@code done} deletions fit in {@code deletesPerSecond} since {@code start}. */
  private void pace(long start, long done) {
    if (deletesPerSecond <= 0) {
      return;
    }
    long due = start + TimeUnit.SECONDS.toNanos(done) / deletesPerSecond;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GcFailure("interrupted while sweeping", e);
      }
    }
  }

  private static void goOnOrStop(Observer observer) {
    if (!observer.mayGoOn()) {
      throw new GcFailure("stopped: the gc lease was lost (another node may be collecting)", null);
    }
  }

  private void progress(Observer observer) {
    long now = clock.millis();
    if (now - lastProgress >= progressEvery.toMillis()) {
      lastProgress = now;
      observer.progress("gc: " + marked.size() + " chunks marked live, " + stored + " stored chunks looked at, "
          + swept + " swept (" + sweptBytes + " bytes), " + kept + " kept for grace so far");
    }
  }

  private static <T> T await(Future<T> future, String what) {
    return RetainedVersions.await(future, what, GcFailure::new);
  }
}
