package io.cairn.files;

import io.cairn.core.ChunkHash;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Journal;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's list of the chunks the journal records as damaged (ADR 0016), so that an upload can
 * tell whether a chunk it stores is one to heal without a journal read per chunk. It is a filter,
 * not the truth: a chunk it names is looked up in the journal ({@link #recorded}) before anything
 * is overwritten or cleared. It is read from the journal when first asked, again at most every
 * {@link #REFRESH} after, and kept in step by every lookup this node makes ({@link #recorded}, which
 * the reads that refuse damaged content go through): a chunk recorded by another node or by {@code
 * cairn fsck --repair} is known here after the next read, or at once after a read of content naming
 * it. When the journal records more than {@link #CAP} chunks, every chunk may be one (each upload
 * then asks the journal). Thread-safe, non-blocking.
 *
 * <p><b>Exact</b> (ADR 0016's amendment), when this server is the only writer of the records while
 * it runs (a single node on a local chunk directory: {@code fsck --repair} needs the server
 * stopped): read once, then kept in step by this node's own writes, the scrub's records ({@link
 * #recordedHere}) and an upload's heals ({@link #healed}). A chunk it does not name is then not
 * recorded, so a read asks the journal only about chunks it names ({@link #recorded}): a GET costs
 * no journal read for damage. Its lookups only add to it: a lookup that raced a record must not
 * drop it. Past {@link #CAP} records every chunk is looked up, as when not exact.
 */
final class KnownDamage {
  /** How long a reading of the journal's records is trusted. */
  static final Duration REFRESH = Duration.ofSeconds(10);
  /** The most records held; past it every chunk is looked up. */
  static final int CAP = 10_000;

  private final Journal journal;
  private final Clock clock;
  private final boolean exact;
  private final Set<ChunkHash> hashes = ConcurrentHashMap.newKeySet();
  private volatile boolean overflow;
  /** The last reading of the journal's records (running or done) and until when it is trusted. */
  private record Reading(Future<Void> done, Instant due) {}

  private volatile Reading reading;

  /** @param exact whether this node is the only writer of the records while it runs (above) */
  KnownDamage(Journal journal, Clock clock, boolean exact) {
    this.journal = journal;
    this.clock = clock;
    this.exact = exact;
  }

  /** Whether {@code hash} may be recorded as damaged: false means it is not (as of the last reading). */
  Future<Boolean> mayBeDamaged(ChunkHash hash) {
    return current().map(v -> overflow || hashes.contains(hash));
  }

  /** Those of {@code asked} that may be recorded as damaged, in their order: {@link #mayBeDamaged} for many. */
  Future<List<ChunkHash>> suspects(Collection<ChunkHash> asked) {
    return current().map(v -> asked.stream().filter(h -> overflow || hashes.contains(h)).toList());
  }

  /**
   * Which of {@code asked} the journal records as damaged, now; this list learns the answer. When
   * exact, only those this list names are looked up (all of them if it could not be read).
   */
  Future<Map<ChunkHash, DamagedChunk>> recorded(Collection<ChunkHash> asked) {
    if (!exact) {
      return lookUp(asked);
    }
    return suspects(asked)
        .recover(unread -> Future.succeededFuture(List.copyOf(asked)))
        .compose(suspect -> suspect.isEmpty() ? Future.succeededFuture(Map.of()) : lookUp(suspect));
  }

  private Future<Map<ChunkHash, DamagedChunk>> lookUp(Collection<ChunkHash> asked) {
    return journal.damaged(asked).onSuccess(found -> {
      for (ChunkHash h : asked) {
        if (found.containsKey(h)) {
          hashes.add(h);
        } else if (!exact) {
          hashes.remove(h);
        }
      }
    });
  }

  /** This node committed a record of {@code hash} as damaged (the scrub): an exact list must name it. */
  void recordedHere(ChunkHash hash) {
    hashes.add(hash);
  }

  /** {@code hash}'s record was cleared here (an upload stored it sound again). */
  void healed(ChunkHash hash) {
    hashes.remove(hash);
  }

  /** The last reading while it is fresh; else a new one. A failed reading is tried again next time. */
  private Future<Void> current() {
    Reading last = reading;
    if (fresh(last)) {
      return last.done();
    }
    synchronized (this) {
      if (reading == last) {
        reading = new Reading(journal.damagedChunks(null, CAP + 1).map(page -> {
          Set<ChunkHash> now = ConcurrentHashMap.newKeySet();
          page.forEach(d -> now.add(d.hash()));
          if (!exact) { // an exact list only grows by records made since it was read
            hashes.retainAll(now);
          }
          hashes.addAll(now);
          overflow = page.size() > CAP;
          return null;
        }), clock.instant().plus(REFRESH));
      }
      return reading.done();
    }
  }

  private boolean fresh(Reading r) {
    return r != null && !r.done().failed()
        && (exact || !r.done().isComplete() || clock.instant().isBefore(r.due()));
  }
}
