package io.cairn.server.scrub;

import io.cairn.cluster.lease.Leases;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Journal;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background scrub (ADR 0016), on a virtual thread of its own: a pass over every stored chunk
 * at {@code scrub.rate.bytes.per.second}, a new one {@code scrub.interval.hours} after the last one
 * started, each stretch under the cluster-wide lease {@value #LEASE} so that one node at a time
 * reads; the position is in the journal, so a pass goes on across restarts and nodes. A chunk
 * found damaged is counted, logged (WARN) with the versions that need it, and recorded in the
 * journal. Whether or not this node scrubs, it samples how many chunks the journal records as
 * damaged every {@link #TICK}, for the metrics.
 */
public final class ScrubSchedule implements AutoCloseable {
  static final String LEASE = "cairn-chunk-scrub";
  static final Duration LEASE_TTL = Duration.ofMinutes(10);
  /** How often a stretch renews its lease. */
  private static final Duration RENEW_EVERY = Duration.ofMinutes(1);
  /** How often an idle node looks again: a pass due, a lease freed, the damage recorded. */
  static final Duration TICK = Duration.ofMinutes(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ScrubSchedule.class);

  private final Journal journal;
  private final ChunkStore store;
  private final Leases leases;
  private final ScrubSettings settings;
  private final Clock clock;
  private final ScrubMeters meters;
  private final Consumer<ChunkHash> recorded;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * {@code store}: the chunk store itself, below any cache, so a pass does not evict hot chunks;
   * {@code recorded}: told of each chunk this node records as damaged, once the record is committed
   * (the files layer's list of damage, ADR 0016).
   */
  public ScrubSchedule(Journal journal, ChunkStore store, Leases leases, ScrubSettings settings, Clock clock,
      MeterRegistry registry, Consumer<ChunkHash> recorded) {
    this.journal = journal;
    this.store = store;
    this.leases = leases;
    this.settings = settings;
    this.clock = clock;
    this.meters = new ScrubMeters(registry);
    this.recorded = recorded;
    this.thread = Thread.ofVirtual().name("cairn-scrub").start(this::loop);
  }

  private void loop() {
    while (!closed) {
      Duration wait = TICK;
      try {
        sample();
        if (settings.enabled()) {
          wait = scrubIfDue();
        }
      } catch (ScrubFailure e) {
        if (closed) {
          return;
        }
        LOG.warn("scrub paused, to go on within {} s: {}", TICK.toSeconds(), e.getMessage());
      } catch (RuntimeException e) { // a bug: logged once with its cause, tried again later
        LOG.warn("scrub failed", e);
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Scrubs when a pass is under way or due and this node gets the lease; how long to wait then. */
  private Duration scrubIfDue() {
    Leases.Lease lease = leases.tryAcquire(LEASE, LEASE_TTL);
    if (lease == null) {
      return TICK;
    }
    try (lease) {
      ScrubPosition at = position();
      Instant now = clock.instant();
      if (!at.underWay()) {
        Instant due = at.passStarted() == null ? now : at.passStarted().plus(settings.interval());
        if (now.isBefore(due)) {
          Duration left = Duration.between(now, due);
          return left.compareTo(TICK) < 0 ? left : TICK;
        }
      }
      scrub(lease, at);
      return Duration.ZERO;
    }
  }

  /**
   * Scrubs now, on the calling thread, at the configured rate (none when the scrub is off): the
   * pass under way, or a new one, to its end.
   *
   * @return where the pass ended; null when another node (or this node's schedule) holds the lease
   * @throws ScrubFailure when the storage fails
   */
  public ScrubPosition runNow() {
    Leases.Lease lease = leases.tryAcquire(LEASE, LEASE_TTL);
    if (lease == null) {
      return null;
    }
    try (lease) {
      return scrub(lease, position());
    }
  }

  /** Goes on with the pass {@code at} under {@code lease}, or starts one; where it stopped. */
  private ScrubPosition scrub(Leases.Lease lease, ScrubPosition at) {
    if (at.underWay()) {
      LOG.info("scrub: the pass started {} goes on after {} chunks", at.passStarted(), at.checked());
    } else {
      at = ScrubPosition.startingAt(clock.instant());
      LOG.info("scrub: a pass over the stored chunks starts, at most {} bytes/s", settings.bytesPerSecond());
    }
    BooleanSupplier held = lease.renewingEvery(RENEW_EVERY, clock);
    ScrubPosition end = new Scrubber(journal, store, clock, settings.bytesPerSecond(), observer(held)).run(at);
    if (end.passEnded() != null) {
      meters.passEnded(end.passEnded());
      LOG.info("scrub: pass done: {} chunks, {} bytes checked, {} damaged, in {} s", end.checked(), end.bytes(),
          end.damaged(), Duration.between(end.passStarted(), end.passEnded()).toSeconds());
    }
    return end;
  }

  private ScrubPosition position() {
    return ScrubPosition.decode(ChunkUsers.await(journal.maintenanceValue(ScrubPosition.KEY), "read the scrub's position"));
  }

  private Scrubber.Observer observer(BooleanSupplier held) {
    return new Scrubber.Observer() {
      @Override
      public boolean mayGoOn() {
        return !closed && held.getAsBoolean();
      }

      @Override
      public void checked(long bytes) {
        meters.checked(bytes);
      }

      @Override
      public void damaged(ChunkHash hash, String problem, List<String> places) {
        recorded.accept(hash);
        meters.mismatch();
        LOG.warn("scrub: chunk {} {}; recorded as damaged, so reading what names it answers an error: {}",
            hash.hex(), problem, places.isEmpty() ? "no retained version names it" : String.join(", ", places));
        sample();
      }
    };
  }

  /** Reads the damaged chunks' count and the last pass's end from the journal into the metrics. */
  private void sample() {
    long count = 0;
    ChunkHash after = null;
    while (true) {
      List<DamagedChunk> page = ChunkUsers.await(journal.damagedChunks(after, Scrubber.PAGE), "count the damaged chunks");
      count += page.size();
      if (page.size() < Scrubber.PAGE) {
        break;
      }
      after = page.getLast().hash();
    }
    meters.damagedChunks(count);
    ScrubPosition at = position();
    if (at.passEnded() != null) {
      meters.passEnded(at.passEnded());
    }
  }

  /** Stops the scrub, which saves its position first; waits a few seconds for it. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
