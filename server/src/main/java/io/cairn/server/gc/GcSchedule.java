package io.cairn.server.gc;

import io.cairn.cluster.lease.Leases;
import io.cairn.server.admin.LastRun;
import io.cairn.server.retention.RetentionFailure;
import io.cairn.server.retention.RetentionPass;
import io.cairn.server.retention.RetentionPolicy;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's background maintenance: retention ({@link RetentionPass}, ADR 0014), then garbage
 * collection, a run every {@code gc.interval.hours} (the first one
 * an hour after start, or an interval if that is shorter), each under the cluster-wide lease {@value #LEASE}, so that one node at
 * a time collects; a node that dies mid-run frees the lease within {@link #LEASE_TTL}. Two runs at
 * once would be wasteful, not unsafe (ADR 0012). Each run, completed or failed, is recorded in the
 * journal ({@link LastRun#GC}) for every node's status page. Runs on a virtual thread of its own.
 */
public final class GcSchedule implements AutoCloseable {
  static final String LEASE = "cairn-chunk-gc";
  static final Duration LEASE_TTL = Duration.ofMinutes(10);
  /** When the first run comes after start, at the latest. */
  static final Duration FIRST_RUN = Duration.ofHours(1);
  /** How often a run renews its lease, between pages of the mark and batches of the sweep. */
  private static final Duration RENEW_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(GcSchedule.class);

  private final Journal journal;
  private final ChunkStore store;
  private final Leases leases;
  private final GcSettings settings;
  private final RetentionPolicy retention;
  private final Clock clock;
  private final GcMeters meters;
  private final ScheduledExecutorService timer;

  /** {@code retention} null: no retention pass, every version is kept (tests of gc alone). */
  public GcSchedule(Journal journal, ChunkStore store, Leases leases, GcSettings settings, RetentionPolicy retention,
      Clock clock, MeterRegistry registry) {
    this.retention = retention;
    this.journal = journal;
    this.store = store;
    this.leases = leases;
    this.settings = settings;
    this.clock = clock;
    this.meters = new GcMeters(registry);
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cairn-gc").factory());
    long every = settings.interval().toMinutes();
    if (every > 0) {
      // Not a whole interval after start: a node restarted more often than that would never run.
      timer.scheduleWithFixedDelay(this::runLogged, Math.min(every, FIRST_RUN.toMinutes()), every, TimeUnit.MINUTES);
    }
  }

  /**
   * Runs once now, on the calling thread, when this node gets the lease: retention records what
   * expired, then gc marks and sweeps. Under one lease so that the mark sees the expiry complete;
   * gc keeps what expired within its grace all the same, so a retention run on another node at the
   * same time could not make it delete a chunk too early.
   *
   * @return what the gc run did; null when another node holds the lease
   * @throws GcFailure when the run failed (counted and logged too); a failed retention pass is
   *     logged and gc runs all the same (it keeps more, never less)
   */
  public GarbageCollector.Summary runNow() {
    Leases.Lease lease = leases.tryAcquire(LEASE, LEASE_TTL);
    if (lease == null) {
      meters.skipped();
      LOG.info("gc skipped: another node holds the gc lease");
      return null;
    }
    java.time.Instant started = clock.instant();
    try (lease) {
      expire(renewing(lease));
      BooleanSupplier stillHeld = renewing(lease);
      GarbageCollector.Summary s = new GarbageCollector(journal, store, clock, settings.grace(),
          settings.deletesPerSecond(), Duration.ofMinutes(1)).run(false, new GarbageCollector.Observer() {
            @Override
            public void progress(String line) {
              LOG.info(line);
            }

            @Override
            public boolean mayGoOn() {
              return stillHeld.getAsBoolean();
            }
          });
      meters.completed(s);
      String summary = GcCommand.summary(s, settings.grace());
      LOG.info(summary);
      LastRun.of(started, clock.instant(), "ok", summary).record(journal, LastRun.GC);
      return s;
    } catch (GcFailure e) {
      meters.failed();
      LastRun.of(started, clock.instant(), "failed", e.getMessage()).record(journal, LastRun.GC);
      LOG.warn("gc failed, to be tried again in {} h: {}", settings.interval().toHours(), e.getMessage());
      throw e;
    }
  }

  /** Whether the lease is still held, renewing it at most every {@link #RENEW_EVERY}. */
  private BooleanSupplier renewing(Leases.Lease lease) {
    return lease.renewingEvery(RENEW_EVERY, clock);
  }

  private void expire(BooleanSupplier stillHeld) {
    if (retention == null) {
      return;
    }
    try {
      RetentionPass.Summary r = new RetentionPass(journal, retention, clock).run(stillHeld);
      meters.retained(r);
      LOG.info("retention: {} namespaces, {} versions and {} trash items expired, in {} ms", r.namespaces(),
          r.versionsExpired(), r.trashExpired(), r.took().toMillis());
    } catch (RetentionFailure e) {
      meters.retentionFailed();
      LOG.warn("retention failed, to be tried again at the next run: {}", e.getMessage());
    } catch (RuntimeException e) { // a bug: logged once with its cause; gc still runs, keeping more
      meters.retentionFailed();
      LOG.warn("retention failed", e);
    }
  }

  private void runLogged() {
    try {
      runNow();
    } catch (RuntimeException e) { // logged by runNow when a GcFailure; anything else here, once
      if (!(e instanceof GcFailure)) {
        LOG.warn("gc failed", e);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
