package io.cairn.cluster.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.cluster.metered.MeteredLockManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The metrics decorator keeps the lock manager contract and counts the live locks. */
class MeteredLockManagerTest extends LockManagerContractTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Override
  protected LockManager create(Clock clock) {
    return new MeteredLockManager(new LocalLockManager(clock), registry, clock);
  }

  private double active() {
    return registry.find("cairn.locks.active").gauge().value();
  }

  private static LockInfo exclusive(String path, Duration timeout) {
    return new LockInfo(path, LockScope.EXCLUSIVE, LockDepth.INFINITY, "me", timeout);
  }

  @Test
  void countsLiveLocksThroughUnlockRemoveTreeAndExpiry() {
    ActiveLock a = await(locks.create("ns", exclusive("/a", HOUR)));
    await(locks.create("ns", exclusive("/b/c", HOUR)));
    await(locks.create("ns", exclusive("/d", Duration.ofSeconds(10))));
    assertEquals(io.cairn.core.CairnException.Kind.LOCKED, failure(locks.create("ns", exclusive("/a", HOUR))));
    assertEquals(3, active());
    await(locks.unlock("ns", "/a", a.token()));
    assertEquals(2, active());
    await(locks.removeTree("ns", "/b"));
    assertEquals(1, active());
    clock.advance(Duration.ofSeconds(11));
    assertEquals(0, active());
    assertEquals(
        1, registry.find("cairn.locks.operations").tags("op", "create", "outcome", "locked").counter().count());
  }
}
