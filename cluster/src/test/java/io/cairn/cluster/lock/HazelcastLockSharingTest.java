package io.cairn.cluster.lock;

import io.cairn.storage.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.node.TestMembers;
import io.cairn.core.CairnException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only a cluster can show: three members, each with its own manager and virtual clock on the
 * same map; locks cross members, racing creates from different members yield one winner, and a
 * lock outlives the member it was taken through until its timeout.
 */
class HazelcastLockSharingTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private TestMembers members;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<LockManager> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    members = TestMembers.start(3);
    for (int i = 0; i < 3; i++) {
      nodes.add(new HazelcastLockManager(members.member(i), clock));
    }
  }

  @AfterEach
  void stop() {
    members.close();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static LockInfo exclusive(String path, Duration timeout) {
    return new LockInfo(path, LockScope.EXCLUSIVE, LockDepth.INFINITY, null, timeout);
  }

  @Test
  void lockTakenOnOneMemberIsHonouredRefreshedAndReleasedOnOthers() {
    ActiveLock lock = await(nodes.get(0).create("ns", exclusive("/doc", MINUTE)));
    List<ActiveLock> blocking =
        await(nodes.get(1).confirm("ns", List.of(PathWrite.modify("/doc/x")), Set.of()));
    assertEquals(List.of(lock.token()), blocking.stream().map(ActiveLock::token).toList());
    ActiveLock refreshed =
        await(nodes.get(1).refresh("ns", "/doc", lock.token(), Duration.ofMinutes(2)));
    assertEquals(clock.instant().plus(Duration.ofMinutes(2)), refreshed.expires());
    await(nodes.get(2).unlock("ns", "/doc", lock.token()));
    assertTrue(await(nodes.get(0).locks("ns", "/doc")).isEmpty());
  }

  @Test
  void racingCreatesFromThreeMembersHaveOneWinner() throws Exception {
    for (int round = 0; round < 20; round++) {
      String path = "/race" + round;
      List<Future<ActiveLock>> attempts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        attempts.add(nodes.get(i % 3).create("ns", exclusive(path, MINUTE)));
      }
      int won = 0;
      for (Future<ActiveLock> a : attempts) {
        try {
          await(a);
          won++;
        } catch (CairnException e) {
          assertEquals(CairnException.Kind.LOCKED, e.kind());
        }
      }
      assertEquals(1, won, "winners of round " + round);
    }
  }

  @Test
  void lockOutlivesTheMemberItWasTakenThroughUntilItsTimeout() {
    Duration timeout = Duration.ofSeconds(5);
    // Several namespaces, so that some entries are owned by the member that dies.
    List<ActiveLock> taken = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      taken.add(await(nodes.get(2).create("ns" + i, exclusive("/f", timeout))));
    }
    members.crash(2);
    for (ActiveLock lock : taken) {
      assertEquals(1, await(nodes.get(0).locks(lock.ns(), "/f")).size(), lock.ns());
    }
    clock.advance(timeout);
    for (ActiveLock lock : taken) {
      assertTrue(await(nodes.get(1).locks(lock.ns(), "/f")).isEmpty(), lock.ns());
      await(nodes.get(0).create(lock.ns(), exclusive("/f", timeout)));
    }
  }
}
