package io.cairn.cluster.lock;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The locks of a cluster, in one Hazelcast map: one entry per namespace, holding that namespace's
 * locks (design invariant 5). Every node reads and writes the same entries, so a lock taken
 * through one node is honoured, refreshed and released through any other.
 *
 * <p>Writes are entry processors ({@link LockOps}) that the owning member runs on the entry's
 * partition thread: the conflict check and the insert are one step, with no check-then-put race
 * between nodes. Expiry is an instant stored with each lock and compared with this node's injected
 * clock, so a lock disappears when its timeout passes whoever took it and whether that node still
 * lives. The map keeps a backup copy on another member, so locks survive the death of the member
 * holding them; each entry also carries a Hazelcast time-to-live a minute past its last expiry, a
 * backstop against entries nobody touches again.
 *
 * <p>Every method returns at once; the future completes on a Hazelcast thread. Hazelcast failures
 * (a member leaving mid-call, the instance shut down) fail with TRANSIENT.
 */
public final class HazelcastLockManager implements LockManager {
  /** The map's name unless another is given. */
  public static final String DEFAULT_MAP = "cairn.locks";

  private final IMap<String, LockTable> map;
  private final Clock clock;

  /** Locks in {@link #DEFAULT_MAP} of {@code hazelcast}, timed by {@code clock}. */
  public HazelcastLockManager(HazelcastInstance hazelcast, Clock clock) {
    this(hazelcast, DEFAULT_MAP, clock);
  }

  /** Locks in the map {@code mapName}: tests use a fresh name for a fresh, empty manager. */
  public HazelcastLockManager(HazelcastInstance hazelcast, String mapName, Clock clock) {
    this.map = hazelcast.getMap(mapName);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Future<ActiveLock> create(String ns, LockInfo info) {
    return guarded(
        () -> {
          TreePaths.require(info.path());
          requirePositive(info.timeout());
          Instant now = clock.instant();
          ActiveLock wanted = ActiveLock.granted(ns, info, now);
          return lockOf(run(ns, new LockOps.Create(wanted, now)));
        });
  }

  @Override
  public Future<ActiveLock> refresh(String ns, String path, String token, Duration timeout) {
    return guarded(
        () -> {
          TreePaths.require(path);
          requirePositive(timeout);
          return lockOf(run(ns, new LockOps.Refresh(path, token, timeout, clock.instant())));
        });
  }

  @Override
  public Future<Void> unlock(String ns, String path, String token) {
    return guarded(
        () -> {
          TreePaths.require(path);
          return run(ns, new LockOps.Unlock(path, token, clock.instant())).mapEmpty();
        });
  }

  @Override
  public Future<List<ActiveLock>> confirm(
      String ns, Collection<PathWrite> writes, Set<String> tokens) {
    return guarded(
        () -> {
          writes.forEach(w -> TreePaths.require(w.path()));
          return live(ns).map(live -> LockTable.blocking(live, writes, tokens));
        });
  }

  @Override
  public Future<List<ActiveLock>> locks(String ns, String path) {
    return guarded(
        () -> {
          TreePaths.require(path);
          return live(ns)
              .map(
                  live ->
                      LockTable.covering(live, path).stream()
                          .sorted(LockTable.BY_ROOT_THEN_TOKEN)
                          .toList());
        });
  }

  @Override
  public Future<Integer> removeTree(String ns, String path) {
    return guarded(
        () -> {
          TreePaths.require(path);
          return run(ns, new LockOps.RemoveTree(path, clock.instant()))
              .map(LockOps.Outcome::count);
        });
  }

  private Future<List<ActiveLock>> live(String ns) {
    Instant now = clock.instant();
    return hazelcast(map.getAsync(Objects.requireNonNull(ns, "ns")))
        .map(table -> LockTable.live(table, now));
  }

  private Future<LockOps.Outcome> run(String ns, LockOps.Op op) {
    return hazelcast(map.submitToKey(Objects.requireNonNull(ns, "ns"), op))
        .compose(
            outcome ->
                outcome.failure() == null
                    ? Future.succeededFuture(outcome)
                    : Future.failedFuture(
                        new CairnException(outcome.failure(), outcome.message())));
  }

  private static Future<ActiveLock> lockOf(Future<LockOps.Outcome> outcome) {
    return outcome.map(o -> o.lock().lock());
  }

  private static <T> Future<T> hazelcast(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof CairnException
                        ? e
                        : new CairnException(
                            CairnException.Kind.TRANSIENT, "lock map: " + e, e)));
  }

  /** Bad arguments fail the future instead of throwing at the caller (house style §4). */
  private static <T> Future<T> guarded(java.util.function.Supplier<Future<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void requirePositive(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw CairnException.conflict("a lock timeout must be positive: " + timeout);
    }
  }
}
