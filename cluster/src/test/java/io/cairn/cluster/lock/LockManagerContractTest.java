package io.cairn.cluster.lock;

import io.cairn.storage.testkit.MutableClock;
import static io.cairn.cluster.lock.LockDepth.INFINITY;
import static io.cairn.cluster.lock.LockDepth.ZERO;
import static io.cairn.cluster.lock.LockScope.EXCLUSIVE;
import static io.cairn.cluster.lock.LockScope.SHARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LockManager} backend keeps. A backend's test subclasses this and
 * builds its manager on the given clock; time moves only through {@link #clock}.
 */
public abstract class LockManagerContractTest {
  protected static final Duration HOUR = Duration.ofHours(1);
  protected MutableClock clock;
  protected LockManager locks;

  /** A fresh, empty manager reading time from {@code clock}. */
  protected abstract LockManager create(Clock clock) throws Exception;

  /** Releases what {@link #create} started; nothing by default. */
  protected void release(LockManager manager) throws Exception {}

  @BeforeEach
  void setUp() throws Exception {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    locks = create(clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    release(locks);
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  protected static CairnException.Kind failure(Future<?> future) {
    try {
      Object value = await(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (CairnException e) {
      return e.kind();
    }
  }

  private ActiveLock lock(String ns, String path, LockScope scope, LockDepth depth) {
    return await(locks.create(ns, new LockInfo(path, scope, depth, null, HOUR)));
  }

  private CairnException.Kind lockFails(String path, LockScope scope, LockDepth depth) {
    return failure(locks.create("ns", new LockInfo(path, scope, depth, null, HOUR)));
  }

  private List<String> tokens(List<ActiveLock> list) {
    return list.stream().map(ActiveLock::token).toList();
  }

  @Test
  void createdLockDescribesTheRequestAndHasAUniqueUuidToken() {
    String owner = "<D:href xmlns:D=\"DAV:\">mailto:a@example.com</D:href>";
    ActiveLock a =
        await(locks.create("ns", new LockInfo("/a", SHARED, INFINITY, owner, Duration.ofSeconds(90))));
    ActiveLock b = lock("ns", "/b", EXCLUSIVE, ZERO);
    assertTrue(a.token().matches("urn:uuid:[0-9a-f-]{36}"), a.token());
    assertNotEquals(a.token(), b.token());
    assertEquals("ns", a.ns());
    assertEquals("/a", a.root());
    assertEquals(SHARED, a.scope());
    assertEquals(INFINITY, a.depth());
    assertEquals(owner, a.owner());
    assertEquals(Duration.ofSeconds(90), a.timeout());
    assertEquals(clock.instant().plusSeconds(90), a.expires());
    assertEquals(List.of(a), await(locks.locks("ns", "/a")));
  }

  @Test
  void exclusiveConflictsWithAnyLockOnTheSamePath() {
    lock("ns", "/f", EXCLUSIVE, ZERO);
    assertEquals(CairnException.Kind.LOCKED, lockFails("/f", EXCLUSIVE, ZERO));
    assertEquals(CairnException.Kind.LOCKED, lockFails("/f", SHARED, ZERO));
  }

  @Test
  void sharedLocksCoexistButExcludeAnExclusiveOne() {
    ActiveLock one = lock("ns", "/f", SHARED, ZERO);
    ActiveLock two = lock("ns", "/f", SHARED, ZERO);
    assertEquals(CairnException.Kind.LOCKED, lockFails("/f", EXCLUSIVE, ZERO));
    assertEquals(
        List.of(one, two).stream().sorted((x, y) -> x.token().compareTo(y.token())).toList(),
        await(locks.locks("ns", "/f")));
  }

  @Test
  void infinityLockCoversDescendantsAndConflictsWithLocksBelow() {
    ActiveLock folder = lock("ns", "/d", EXCLUSIVE, INFINITY);
    assertEquals(List.of(folder), await(locks.locks("ns", "/d/x/y")));
    assertEquals(CairnException.Kind.LOCKED, lockFails("/d/x", SHARED, ZERO));
    assertEquals(List.of(), await(locks.locks("ns", "/dx")));
    lock("ns", "/dx", EXCLUSIVE, ZERO);
  }

  @Test
  void lockBelowBlocksAnInfinityLockAboveButNotADepthZeroOne() {
    lock("ns", "/d/x", EXCLUSIVE, ZERO);
    assertEquals(CairnException.Kind.LOCKED, lockFails("/d", SHARED, INFINITY));
    assertEquals(CairnException.Kind.LOCKED, lockFails("/", EXCLUSIVE, INFINITY));
    ActiveLock zero = lock("ns", "/d", EXCLUSIVE, ZERO);
    assertEquals(List.of(zero), await(locks.locks("ns", "/d")));
    assertEquals(List.of(), await(locks.locks("ns", "/d/y")));
  }

  @Test
  void sharedInfinityLocksNestWithSharedLocksBelow() {
    ActiveLock top = lock("ns", "/", SHARED, INFINITY);
    ActiveLock low = lock("ns", "/a/b", SHARED, ZERO);
    assertEquals(List.of(top, low), await(locks.locks("ns", "/a/b")));
    assertEquals(CairnException.Kind.LOCKED, lockFails("/a", EXCLUSIVE, ZERO));
  }

  @Test
  void namespacesAreIndependent() {
    lock("one", "/f", EXCLUSIVE, INFINITY);
    lock("two", "/f", EXCLUSIVE, INFINITY);
    assertEquals(1, await(locks.locks("one", "/f")).size());
    assertEquals(List.of(), await(locks.locks("three", "/f")));
  }

  @Test
  void lockDisappearsWhenItsTimeoutPasses() {
    ActiveLock l =
        await(locks.create("ns", new LockInfo("/f", EXCLUSIVE, ZERO, null, Duration.ofSeconds(10))));
    clock.advance(Duration.ofSeconds(9));
    assertEquals(List.of(l), await(locks.locks("ns", "/f")));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), await(locks.locks("ns", "/f")));
    assertEquals(List.of(), await(locks.confirm("ns", List.of(PathWrite.modify("/f")), Set.of())));
    assertEquals(
        CairnException.Kind.PRECONDITION_FAILED,
        failure(locks.refresh("ns", "/f", l.token(), HOUR)));
    assertEquals(CairnException.Kind.CONFLICT, failure(locks.unlock("ns", "/f", l.token())));
    lock("ns", "/f", EXCLUSIVE, ZERO);
  }

  @Test
  void refreshRestartsTheTimeoutFromNow() {
    ActiveLock l =
        await(locks.create("ns", new LockInfo("/f", EXCLUSIVE, ZERO, null, Duration.ofSeconds(10))));
    clock.advance(Duration.ofSeconds(8));
    ActiveLock r = await(locks.refresh("ns", "/f", l.token(), Duration.ofSeconds(30)));
    assertEquals(l.token(), r.token());
    assertEquals(Duration.ofSeconds(30), r.timeout());
    assertEquals(clock.instant().plusSeconds(30), r.expires());
    clock.advance(Duration.ofSeconds(29));
    assertEquals(List.of(r), await(locks.locks("ns", "/f")));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), await(locks.locks("ns", "/f")));
  }

  @Test
  void refreshOfAnUnknownTokenFailsAndCreatesNothing() {
    assertEquals(
        CairnException.Kind.PRECONDITION_FAILED,
        failure(locks.refresh("ns", "/f", "urn:uuid:00000000-0000-0000-0000-000000000000", HOUR)));
    assertEquals(List.of(), await(locks.locks("ns", "/f")));
    lock("ns", "/f", EXCLUSIVE, ZERO);
  }

  @Test
  void refreshWorksThroughAnyPathInScopeAndOnlyThere() {
    ActiveLock folder = lock("ns", "/d", EXCLUSIVE, INFINITY);
    ActiveLock file = lock("ns", "/e", EXCLUSIVE, ZERO);
    await(locks.refresh("ns", "/d/x/y", folder.token(), HOUR));
    assertEquals(
        CairnException.Kind.PRECONDITION_FAILED,
        failure(locks.refresh("ns", "/e/x", file.token(), HOUR)));
    assertEquals(
        CairnException.Kind.PRECONDITION_FAILED,
        failure(locks.refresh("ns", "/e", folder.token(), HOUR)));
    assertEquals(
        CairnException.Kind.PRECONDITION_FAILED,
        failure(locks.refresh("other", "/d", folder.token(), HOUR)));
  }

  @Test
  void unlockRemovesOnlyAMatchingLock() {
    ActiveLock folder = lock("ns", "/d", SHARED, INFINITY);
    assertEquals(CairnException.Kind.CONFLICT, failure(locks.unlock("ns", "/e", folder.token())));
    assertEquals(
        CairnException.Kind.CONFLICT, failure(locks.unlock("ns", "/d", "opaquelocktoken:foobar")));
    await(locks.unlock("ns", "/d/inside", folder.token()));
    assertEquals(List.of(), await(locks.locks("ns", "/d")));
    assertEquals(CairnException.Kind.CONFLICT, failure(locks.unlock("ns", "/d", folder.token())));
  }

  @Test
  void modifyingALockedResourceNeedsItsToken() {
    ActiveLock l = lock("ns", "/f", EXCLUSIVE, ZERO);
    List<PathWrite> put = List.of(PathWrite.modify("/f"));
    assertEquals(List.of(l), await(locks.confirm("ns", put, Set.of())));
    assertEquals(List.of(l), await(locks.confirm("ns", put, Set.of("urn:uuid:other"))));
    assertEquals(List.of(), await(locks.confirm("ns", put, Set.of(l.token()))));
    assertEquals(List.of(), await(locks.confirm("ns", List.of(PathWrite.modify("/g")), Set.of())));
  }

  @Test
  void anyOneSharedTokenIsEnough() {
    ActiveLock one = lock("ns", "/f", SHARED, ZERO);
    ActiveLock two = lock("ns", "/f", SHARED, ZERO);
    List<PathWrite> put = List.of(PathWrite.modify("/f"));
    assertEquals(2, await(locks.confirm("ns", put, Set.of())).size());
    assertEquals(List.of(), await(locks.confirm("ns", put, Set.of(one.token()))));
    assertEquals(List.of(), await(locks.confirm("ns", put, Set.of(two.token()))));
  }

  @Test
  void membershipOfADepthZeroLockedFolderNeedsItsToken() {
    ActiveLock d = lock("ns", "/d", EXCLUSIVE, ZERO);
    assertEquals(
        List.of(d), await(locks.confirm("ns", List.of(PathWrite.create("/d/new")), Set.of())));
    assertEquals(
        List.of(d), await(locks.confirm("ns", List.of(PathWrite.remove("/d/old")), Set.of())));
    assertEquals(
        List.of(), await(locks.confirm("ns", List.of(PathWrite.modify("/d/old")), Set.of())));
    assertEquals(
        List.of(), await(locks.confirm("ns", List.of(PathWrite.replace("/d/old")), Set.of())));
    assertEquals(
        List.of(),
        await(locks.confirm("ns", List.of(PathWrite.create("/d/new")), Set.of(d.token()))));
  }

  @Test
  void membersOfAnInfinityLockedFolderNeedItsToken() {
    ActiveLock d = lock("ns", "/d", EXCLUSIVE, INFINITY);
    for (PathWrite w :
        List.of(
            PathWrite.modify("/d/x/y"),
            PathWrite.replace("/d/x"),
            PathWrite.create("/d/x/new"),
            PathWrite.remove("/d/x"))) {
      assertEquals(List.of(d), await(locks.confirm("ns", List.of(w), Set.of())), w.toString());
      assertEquals(List.of(), await(locks.confirm("ns", List.of(w), Set.of(d.token()))));
    }
  }

  @Test
  void removingOrReplacingATreeNeedsTheTokensOfLocksBelow() {
    ActiveLock deep = lock("ns", "/a/b/c", EXCLUSIVE, ZERO);
    ActiveLock other = lock("ns", "/a/x", SHARED, INFINITY);
    assertEquals(
        List.of(deep, other),
        await(locks.confirm("ns", List.of(PathWrite.remove("/a")), Set.of())));
    assertEquals(
        List.of(other),
        await(locks.confirm("ns", List.of(PathWrite.replace("/a")), Set.of(deep.token()))));
    assertEquals(
        List.of(),
        await(
            locks.confirm(
                "ns", List.of(PathWrite.remove("/a")), Set.of(deep.token(), other.token()))));
    assertEquals(List.of(), await(locks.confirm("ns", List.of(PathWrite.remove("/ab")), Set.of())));
  }

  @Test
  void confirmChecksEveryWriteOfAMove() {
    ActiveLock src = lock("ns", "/src", EXCLUSIVE, ZERO);
    ActiveLock dst = lock("ns", "/dst", EXCLUSIVE, ZERO);
    List<PathWrite> move = List.of(PathWrite.remove("/src/f"), PathWrite.create("/dst/f"));
    assertEquals(List.of(dst, src), await(locks.confirm("ns", move, Set.of())));
    assertEquals(List.of(dst), await(locks.confirm("ns", move, Set.of(src.token()))));
    assertEquals(List.of(), await(locks.confirm("ns", move, Set.of(src.token(), dst.token()))));
  }

  @Test
  void removeTreeDropsLocksAtAndBelowOnly() {
    ActiveLock above = lock("ns", "/a", SHARED, INFINITY);
    lock("ns", "/a/b", SHARED, ZERO);
    lock("ns", "/a/b/c", SHARED, INFINITY);
    ActiveLock sibling = lock("ns", "/a/bc", SHARED, ZERO);
    assertEquals(2, await(locks.removeTree("ns", "/a/b")));
    assertEquals(List.of(above), await(locks.locks("ns", "/a/b/c")));
    assertEquals(List.of(above, sibling), await(locks.locks("ns", "/a/bc")));
    assertEquals(0, await(locks.removeTree("ns", "/a/b")));
    assertEquals(2, await(locks.removeTree("ns", "/")));
    assertEquals(List.of(), await(locks.locks("ns", "/a/bc")));
  }

  @Test
  void invalidPathsAndTimeoutsAreRefused() {
    assertEquals(CairnException.Kind.CONFLICT, lockFails("a/b", EXCLUSIVE, ZERO));
    assertEquals(CairnException.Kind.CONFLICT, lockFails("/a/", EXCLUSIVE, ZERO));
    assertEquals(
        CairnException.Kind.CONFLICT,
        failure(locks.create("ns", new LockInfo("/a", EXCLUSIVE, ZERO, null, Duration.ZERO))));
    assertEquals(CairnException.Kind.CONFLICT, failure(locks.locks("ns", "/a/../b")));
    assertEquals(
        CairnException.Kind.CONFLICT,
        failure(locks.confirm("ns", List.of(PathWrite.modify("")), Set.of())));
  }

  @Test
  void racingExclusiveCreatesHaveExactlyOneWinner() throws Exception {
    int racers = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<CairnException.Kind>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < racers; i++) {
        // Half the racers lock the folder with depth infinity, half a file inside it.
        String path = i % 2 == 0 ? "/race" : "/race/file";
        LockDepth depth = i % 2 == 0 ? INFINITY : ZERO;
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    await(locks.create("ns", new LockInfo(path, EXCLUSIVE, depth, null, HOUR)));
                    return null;
                  } catch (CairnException e) {
                    return e.kind();
                  }
                }));
      }
      start.countDown();
      int winners = 0;
      for (var outcome : outcomes) {
        CairnException.Kind kind = outcome.get(30, TimeUnit.SECONDS);
        if (kind == null) {
          winners++;
        } else if (kind != CairnException.Kind.LOCKED) {
          fail("unexpected failure " + kind);
        }
      }
      assertEquals(1, winners);
    }
    assertEquals(1, await(locks.locks("ns", "/race/file")).size());
  }
}
