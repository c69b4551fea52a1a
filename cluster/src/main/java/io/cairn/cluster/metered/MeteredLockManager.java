package io.cairn.cluster.metered;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockInfo;
import io.cairn.cluster.lock.LockManager;
import io.cairn.cluster.lock.PathWrite;
import io.cairn.core.CairnException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Any {@link LockManager} with metrics:
 *
 * <ul>
 *   <li>{@code cairn_locks_active}: live locks created or refreshed through this decorator (on a
 *       cluster node: the locks taken through this node), less those unlocked, removed with their
 *       tree, or expired;
 *   <li>{@code cairn_locks_operations_total{op,outcome}}: create, refresh, unlock, remove_tree calls
 *       by outcome ({@code ok} or the failure's kind: {@code locked} is a conflicting LOCK).
 * </ul>
 *
 * Behaviour is the wrapped manager's, unchanged.
 */
public final class MeteredLockManager implements LockManager {
  private final LockManager locks;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, ActiveLock> held = new ConcurrentHashMap<>();

  public MeteredLockManager(LockManager locks, MeterRegistry registry, Clock clock) {
    this.locks = Objects.requireNonNull(locks, "locks");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    Gauge.builder("cairn.locks.active", this, MeteredLockManager::live)
        .description("Live WebDAV locks taken through this node")
        .register(registry);
    for (String op : List.of("create", "refresh", "unlock")) {
      counter(op, "ok");
    }
  }

  private double live() {
    Instant now = clock.instant();
    held.values().removeIf(l -> !l.isLive(now));
    return held.size();
  }

  private Counter counter(String op, String outcome) {
    return Counter.builder("cairn.locks.operations")
        .description("Lock manager calls by operation and outcome")
        .tags("op", op, "outcome", outcome)
        .register(registry);
  }

  private <T> Future<T> counted(String op, Future<T> call) {
    return call.andThen(
        ar -> {
          String outcome = "ok";
          if (ar.failed()) {
            outcome =
                ar.cause() instanceof CairnException e ? e.kind().name().toLowerCase(Locale.ROOT) : "internal";
          }
          counter(op, outcome).increment();
        });
  }

  @Override
  public Future<ActiveLock> create(String ns, LockInfo info) {
    return counted("create", locks.create(ns, info)).onSuccess(l -> held.put(l.token(), l));
  }

  @Override
  public Future<ActiveLock> refresh(String ns, String path, String token, Duration timeout) {
    return counted("refresh", locks.refresh(ns, path, token, timeout)).onSuccess(l -> held.put(l.token(), l));
  }

  @Override
  public Future<Void> unlock(String ns, String path, String token) {
    return counted("unlock", locks.unlock(ns, path, token)).onSuccess(v -> held.remove(token));
  }

  @Override
  public Future<List<ActiveLock>> confirm(String ns, Collection<PathWrite> writes, Set<String> tokens) {
    return locks.confirm(ns, writes, tokens);
  }

  @Override
  public Future<List<ActiveLock>> locks(String ns, String path) {
    return locks.locks(ns, path);
  }

  @Override
  public Future<Integer> removeTree(String ns, String path) {
    return counted("remove_tree", locks.removeTree(ns, path))
        .onSuccess(
            n ->
                held.values()
                    .removeIf(
                        l ->
                            l.ns().equals(ns)
                                && (path.equals("/") || l.root().equals(path) || l.root().startsWith(path + "/"))));
  }
}
