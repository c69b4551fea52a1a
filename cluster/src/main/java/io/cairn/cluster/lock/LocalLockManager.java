package io.cairn.cluster.lock;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The locks of a single node, in memory: lost when the process ends, which is what clients of a
 * restarted WebDAV server expect anyway. Every method completes its future before returning.
 *
 * <p>One read-write lock guards all namespaces, so that the conflict check and the insert of
 * {@link #create} are one atomic step. Lock operations take microseconds, so this one lock is not
 * a bottleneck next to the I/O of the requests that call them. Expired locks are skipped by every
 * read and swept out by every write.
 */
public final class LocalLockManager implements LockManager {

  private static final Comparator<ActiveLock> BY_ROOT_THEN_TOKEN =
      Comparator.comparing(ActiveLock::root).thenComparing(ActiveLock::token);

  private final Clock clock;
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private final Map<String, Table> namespaces = new HashMap<>();

  public LocalLockManager(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Future<ActiveLock> create(String ns, LockInfo info) {
    return write(
        () -> {
          requirePath(info.path());
          requirePositive(info.timeout());
          Instant now = clock.instant();
          Table table = sweptTable(ns, now, true);
          ActiveLock lock = ActiveLock.granted(ns, info, now);
          List<ActiveLock> nearby = new ArrayList<>(table.covering(lock.root()));
          if (lock.depth() == LockDepth.INFINITY) {
            nearby.addAll(table.below(lock.root()));
          }
          for (ActiveLock other : nearby) {
            if (lock.conflictsWith(other)) {
              throw new CairnException(
                  CairnException.Kind.LOCKED,
                  info.path() + " conflicts with the " + other.scope() + " lock on " + other.root());
            }
          }
          table.add(lock);
          return lock;
        });
  }

  @Override
  public Future<ActiveLock> refresh(String ns, String path, String token, Duration timeout) {
    return write(
        () -> {
          requirePath(path);
          requirePositive(timeout);
          Instant now = clock.instant();
          Table table = sweptTable(ns, now, false);
          ActiveLock lock = table == null ? null : table.byToken.get(token);
          if (lock == null || !lock.covers(path)) {
            throw CairnException.preconditionFailed(
                "no lock " + token + " covers " + path + " (RFC 4918 §9.10.2)");
          }
          ActiveLock refreshed = lock.refreshed(now, timeout);
          table.remove(lock);
          table.add(refreshed);
          return refreshed;
        });
  }

  @Override
  public Future<Void> unlock(String ns, String path, String token) {
    return write(
        () -> {
          requirePath(path);
          Table table = sweptTable(ns, clock.instant(), false);
          ActiveLock lock = table == null ? null : table.byToken.get(token);
          if (lock == null || !lock.covers(path)) {
            throw CairnException.conflict(
                "no lock " + token + " covers " + path + " (RFC 4918 §9.11.1)");
          }
          table.remove(lock);
          dropIfEmpty(ns, table);
          return null;
        });
  }

  @Override
  public Future<List<ActiveLock>> confirm(
      String ns, Collection<PathWrite> writes, Set<String> tokens) {
    return read(
        () -> {
          for (PathWrite w : writes) {
            requirePath(w.path());
          }
          Table table = namespaces.get(ns);
          if (table == null) {
            return List.of();
          }
          Instant now = clock.instant();
          Set<String> resources = new LinkedHashSet<>();
          for (PathWrite w : writes) {
            resources.add(w.path());
            if (w.touchesParent()) {
              resources.add(TreePaths.parent(w.path()));
            }
            if (w.touchesDescendants()) {
              for (ActiveLock below : table.below(w.path())) {
                resources.add(below.root());
              }
            }
          }
          Map<String, ActiveLock> blocking = new LinkedHashMap<>();
          for (String resource : resources) {
            List<ActiveLock> covering = live(table.covering(resource), now);
            boolean satisfied =
                covering.isEmpty()
                    || covering.stream().anyMatch(l -> tokens.contains(l.token()));
            if (!satisfied) {
              covering.forEach(l -> blocking.putIfAbsent(l.token(), l));
            }
          }
          return sorted(blocking.values());
        });
  }

  @Override
  public Future<List<ActiveLock>> locks(String ns, String path) {
    return read(
        () -> {
          requirePath(path);
          Table table = namespaces.get(ns);
          return table == null ? List.of() : sorted(live(table.covering(path), clock.instant()));
        });
  }

  @Override
  public Future<Integer> removeTree(String ns, String path) {
    return write(
        () -> {
          requirePath(path);
          Table table = sweptTable(ns, clock.instant(), false);
          if (table == null) {
            return 0;
          }
          List<ActiveLock> doomed = new ArrayList<>(table.below(path));
          doomed.addAll(table.at(path));
          doomed.forEach(table::remove);
          dropIfEmpty(ns, table);
          return doomed.size();
        });
  }

  private <T> Future<T> write(Supplier<T> body) {
    guard.writeLock().lock();
    try {
      return Future.succeededFuture(body.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    } finally {
      guard.writeLock().unlock();
    }
  }

  private <T> Future<T> read(Supplier<T> body) {
    guard.readLock().lock();
    try {
      return Future.succeededFuture(body.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    } finally {
      guard.readLock().unlock();
    }
  }

  /** The namespace's table with its expired locks removed; null when absent and not created. */
  private Table sweptTable(String ns, Instant now, boolean create) {
    Objects.requireNonNull(ns, "ns");
    Table table = namespaces.get(ns);
    if (table != null) {
      table.sweep(now);
      if (table.byToken.isEmpty()) {
        namespaces.remove(ns);
        table = null;
      }
    }
    if (table == null && create) {
      table = new Table();
      namespaces.put(ns, table);
    }
    return table;
  }

  private void dropIfEmpty(String ns, Table table) {
    if (table.byToken.isEmpty()) {
      namespaces.remove(ns);
    }
  }

  private static void requirePath(String path) {
    TreePaths.require(path);
  }

  private static void requirePositive(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw CairnException.conflict("a lock timeout must be positive: " + timeout);
    }
  }

  private static List<ActiveLock> live(Collection<ActiveLock> locks, Instant now) {
    return locks.stream().filter(l -> l.isLive(now)).toList();
  }

  private static List<ActiveLock> sorted(Collection<ActiveLock> locks) {
    return locks.stream().sorted(BY_ROOT_THEN_TOKEN).toList();
  }

  /** The locks of one namespace, indexed by token, by root path and by expiry. */
  private static final class Table {
    final Map<String, ActiveLock> byToken = new HashMap<>();
    final NavigableMap<String, Map<String, ActiveLock>> byRoot = new TreeMap<>();
    final NavigableSet<ActiveLock> byExpiry =
        new TreeSet<>(
            Comparator.comparing(ActiveLock::expires).thenComparing(ActiveLock::token));

    void add(ActiveLock lock) {
      byToken.put(lock.token(), lock);
      byRoot.computeIfAbsent(lock.root(), k -> new HashMap<>()).put(lock.token(), lock);
      byExpiry.add(lock);
    }

    void remove(ActiveLock lock) {
      byToken.remove(lock.token());
      Map<String, ActiveLock> atRoot = byRoot.get(lock.root());
      atRoot.remove(lock.token());
      if (atRoot.isEmpty()) {
        byRoot.remove(lock.root());
      }
      byExpiry.remove(lock);
    }

    void sweep(Instant now) {
      while (!byExpiry.isEmpty() && !byExpiry.first().isLive(now)) {
        remove(byExpiry.first());
      }
    }

    Collection<ActiveLock> at(String path) {
      Map<String, ActiveLock> atRoot = byRoot.get(path);
      return atRoot == null ? List.of() : atRoot.values();
    }

    /** Locks whose scope includes {@code path}, live or not: at it, or infinite above it. */
    List<ActiveLock> covering(String path) {
      List<ActiveLock> found = new ArrayList<>(at(path));
      String p = path;
      while (!p.equals(TreePaths.ROOT)) {
        p = TreePaths.parent(p);
        for (ActiveLock l : at(p)) {
          if (l.depth() == LockDepth.INFINITY) {
            found.add(l);
          }
        }
      }
      return found;
    }

    /** Locks rooted strictly below {@code path}, live or not. */
    List<ActiveLock> below(String path) {
      // Paths below "/a" sort between "/a/" and "/a0": '0' is the character after '/'.
      NavigableMap<String, Map<String, ActiveLock>> range =
          path.equals(TreePaths.ROOT)
              ? byRoot.tailMap(TreePaths.ROOT, false)
              : byRoot.subMap(path + "/", true, path + "0", false);
      List<ActiveLock> found = new ArrayList<>();
      range.values().forEach(m -> found.addAll(m.values()));
      return found;
    }
  }
}
