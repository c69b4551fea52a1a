package io.cairn.cluster.lock;

import io.cairn.storage.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operations against a backend and against a tiny model written the slow, obvious way
 * (linear scans, string prefixes), in the spirit of golang x/net/webdav's lock stress test. After
 * every operation both must agree on every answer and on the set of live locks, and no two live
 * locks may conflict. Seeded: a failure names the seed and the step that reproduce it.
 */
public abstract class LockManagerModelTest {
  private static final List<String> PATHS =
      List.of("/", "/a", "/a/b", "/a/b/c", "/a/d", "/ab", "/e");
  private static final List<String> NAMESPACES = List.of("n1", "n2");

  /** A fresh, empty manager reading time from {@code clock}. */
  protected abstract LockManager create(Clock clock) throws Exception;

  /** How many operations each seed runs; a slow backend may ask for fewer. */
  protected int operations() {
    return 2000;
  }

  /** One lock as the model sees it. */
  private record Lock(
      String token, String ns, String root, boolean exclusive, boolean infinite, Instant expires) {

    boolean covers(String path) {
      return path.equals(root)
          || (infinite && (root.equals("/") || path.startsWith(root + "/")));
    }

    boolean rootedStrictlyBelow(String path) {
      return !root.equals(path) && (path.equals("/") || root.startsWith(path + "/"));
    }
  }

  private final List<Lock> model = new ArrayList<>();
  private final List<String> seenTokens = new ArrayList<>();

  @ParameterizedTest
  @ValueSource(longs = {1, 42, 20250101})
  void agreesWithTheModel(long seed) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    LockManager locks = create(clock);
    Random random = new Random(seed);
    seenTokens.add("opaquelocktoken:bogus");
    for (int step = 0; step < operations(); step++) {
      String where = "seed " + seed + " step " + step;
      Instant now = clock.instant();
      model.removeIf(l -> !now.isBefore(l.expires()));
      String ns = pick(random, NAMESPACES);
      String path = pick(random, PATHS);
      switch (random.nextInt(10)) {
        case 0, 1, 2 -> create(locks, random, ns, path, now, where);
        case 3 -> refresh(locks, random, ns, path, now, where);
        case 4 -> unlock(locks, random, ns, path, where);
        case 5, 6 -> confirm(locks, random, ns, where);
        case 7 -> assertEquals(
            expectedCovering(ns, path), tokens(await(locks.locks(ns, path))), where);
        case 8 -> removeTree(locks, ns, path, where);
        default -> clock.advance(Duration.ofSeconds(random.nextInt(40)));
      }
      consistent(locks, clock.instant(), where);
    }
  }

  private void create(
      LockManager locks, Random random, String ns, String path, Instant now, String where) {
    boolean exclusive = random.nextBoolean();
    boolean infinite = random.nextBoolean();
    Duration timeout = Duration.ofSeconds(5 + random.nextInt(120));
    boolean conflict =
        model.stream()
            .anyMatch(
                l ->
                    l.ns().equals(ns)
                        && (exclusive || l.exclusive())
                        && (l.covers(path)
                            || new Lock("", ns, path, exclusive, infinite, now).covers(l.root())));
    Future<ActiveLock> result =
        locks.create(
            ns,
            new LockInfo(
                path,
                exclusive ? LockScope.EXCLUSIVE : LockScope.SHARED,
                infinite ? LockDepth.INFINITY : LockDepth.ZERO,
                null,
                timeout));
    if (conflict) {
      assertEquals(CairnException.Kind.LOCKED, failure(result), where);
      return;
    }
    ActiveLock made = await(result);
    assertEquals(now.plus(timeout), made.expires(), where);
    model.add(new Lock(made.token(), ns, path, exclusive, infinite, made.expires()));
    seenTokens.add(made.token());
  }

  private void refresh(
      LockManager locks, Random random, String ns, String path, Instant now, String where) {
    String token = pick(random, seenTokens);
    Duration timeout = Duration.ofSeconds(5 + random.nextInt(120));
    Lock target = find(ns, path, token);
    Future<ActiveLock> result = locks.refresh(ns, path, token, timeout);
    if (target == null) {
      assertEquals(CairnException.Kind.PRECONDITION_FAILED, failure(result), where);
      return;
    }
    assertEquals(now.plus(timeout), await(result).expires(), where);
    model.remove(target);
    model.add(
        new Lock(token, ns, target.root(), target.exclusive(), target.infinite(), now.plus(timeout)));
  }

  private void unlock(LockManager locks, Random random, String ns, String path, String where) {
    String token = pick(random, seenTokens);
    Lock target = find(ns, path, token);
    Future<Void> result = locks.unlock(ns, path, token);
    if (target == null) {
      assertEquals(CairnException.Kind.CONFLICT, failure(result), where);
    } else {
      await(result);
      model.remove(target);
    }
  }

  private void confirm(LockManager locks, Random random, String ns, String where) {
    List<PathWrite> writes = new ArrayList<>();
    int count = 1 + random.nextInt(2);
    for (int i = 0; i < count; i++) {
      PathWrite.Kind kind = pick(random, List.of(PathWrite.Kind.values()));
      writes.add(new PathWrite(pick(random, PATHS), kind));
    }
    Set<String> submitted = new HashSet<>();
    for (String t : seenTokens) {
      if (random.nextInt(3) == 0) {
        submitted.add(t);
      }
    }
    Set<String> resources = new HashSet<>();
    for (PathWrite w : writes) {
      resources.add(w.path());
      boolean membership = w.kind() == PathWrite.Kind.CREATE || w.kind() == PathWrite.Kind.REMOVE;
      if (membership && !w.path().equals("/")) {
        resources.add(w.path().substring(0, Math.max(1, w.path().lastIndexOf('/'))));
      }
      if (w.kind() == PathWrite.Kind.REPLACE || w.kind() == PathWrite.Kind.REMOVE) {
        model.stream()
            .filter(l -> l.ns().equals(ns) && l.rootedStrictlyBelow(w.path()))
            .forEach(l -> resources.add(l.root()));
      }
    }
    Set<String> blocking = new TreeSet<>();
    for (String r : resources) {
      List<Lock> covering =
          model.stream().filter(l -> l.ns().equals(ns) && l.covers(r)).toList();
      if (covering.stream().noneMatch(l -> submitted.contains(l.token()))) {
        covering.forEach(l -> blocking.add(l.root() + " " + l.token()));
      }
    }
    List<String> actual =
        await(locks.confirm(ns, writes, submitted)).stream()
            .map(l -> l.root() + " " + l.token())
            .toList();
    assertEquals(List.copyOf(blocking), actual, where + " " + writes);
  }

  private void removeTree(LockManager locks, String ns, String path, String where) {
    List<Lock> doomed =
        model.stream()
            .filter(l -> l.ns().equals(ns) && (l.root().equals(path) || l.rootedStrictlyBelow(path)))
            .toList();
    assertEquals(doomed.size(), await(locks.removeTree(ns, path)), where);
    model.removeAll(doomed);
  }

  /** The backend's live locks are the model's, and no two of them conflict. */
  private void consistent(LockManager locks, Instant now, String where) {
    Set<ActiveLock> live = new HashSet<>();
    for (String ns : NAMESPACES) {
      for (String path : PATHS) {
        live.addAll(await(locks.locks(ns, path)));
      }
    }
    Set<String> expected = new TreeSet<>();
    model.stream()
        .filter(l -> now.isBefore(l.expires()))
        .forEach(l -> expected.add(l.ns() + l.root() + " " + l.token() + " " + l.expires()));
    Set<String> actual = new TreeSet<>();
    live.forEach(l -> actual.add(l.ns() + l.root() + " " + l.token() + " " + l.expires()));
    assertEquals(expected, actual, where);
    List<Lock> seen =
        live.stream()
            .map(
                l ->
                    new Lock(
                        l.token(),
                        l.ns(),
                        l.root(),
                        l.scope() == LockScope.EXCLUSIVE,
                        l.depth() == LockDepth.INFINITY,
                        l.expires()))
            .toList();
    for (Lock a : seen) {
      for (Lock b : seen) {
        boolean conflict =
            a != b
                && a.ns().equals(b.ns())
                && (a.exclusive() || b.exclusive())
                && (a.covers(b.root()) || b.covers(a.root()));
        assertFalse(conflict, where + ": " + a + " conflicts with " + b);
      }
    }
  }

  private List<String> expectedCovering(String ns, String path) {
    return model.stream()
        .filter(l -> l.ns().equals(ns) && l.covers(path))
        .sorted(
            (x, y) ->
                x.root().equals(y.root())
                    ? x.token().compareTo(y.token())
                    : x.root().compareTo(y.root()))
        .map(Lock::token)
        .toList();
  }

  private Lock find(String ns, String path, String token) {
    return model.stream()
        .filter(l -> l.ns().equals(ns) && l.token().equals(token) && l.covers(path))
        .findFirst()
        .orElse(null);
  }

  private static List<String> tokens(List<ActiveLock> locks) {
    return locks.stream().map(ActiveLock::token).toList();
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static CairnException.Kind failure(Future<?> future) {
    try {
      Object value = await(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (CairnException e) {
      return e.kind();
    }
  }
}
