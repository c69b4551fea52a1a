package io.cairn.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Leases} backend promises; a backend joins by saying how two nodes see it. */
abstract class LeasesContractTest {
  /** The leases as node {@code i} (0 or 1) sees them: two views of one backend. */
  protected abstract Leases node(int i);

  /** Lets a lease of {@link #SHORT} lapse (advances a clock, or waits for the backend). */
  protected abstract void letLapse();

  protected static final Duration SHORT = Duration.ofSeconds(2);
  private final String name = "gc-" + UUID.randomUUID();

  @Test
  void aHeldLeaseIsRefusedToEveryOtherHolderUntilGivenUp() {
    Leases.Lease held = node(0).tryAcquire(name, Duration.ofMinutes(5));
    assertNotNull(held);
    assertNull(node(1).tryAcquire(name, Duration.ofMinutes(5)), "the other node");
    assertNull(node(0).tryAcquire(name, Duration.ofMinutes(5)), "the same node again");
    assertTrue(held.renew());
    held.close();
    Leases.Lease next = node(1).tryAcquire(name, Duration.ofMinutes(5));
    assertNotNull(next, "free once given up");
    assertFalse(held.renew(), "the old holder has lost it");
    next.close();
  }

  @Test
  void aLeaseWhoseHolderStoppedRenewingLapsesAndCanBeTaken() {
    Leases.Lease dead = node(0).tryAcquire(name, SHORT);
    assertNotNull(dead);
    letLapse();
    Leases.Lease taken = node(1).tryAcquire(name, Duration.ofMinutes(5));
    assertNotNull(taken, "lapsed: free for another node");
    assertFalse(dead.renew(), "the first holder learns it lost the lease");
    dead.close(); // gives up nothing of the new holder's
    assertNull(node(0).tryAcquire(name, Duration.ofMinutes(5)), "still the new holder's");
    taken.close();
  }

  @Test
  void aRenewingCheckAsksTheBackendOnlyOnceItsIntervalPassedAndThenTellsALostLease() {
    Leases.Lease held = node(0).tryAcquire(name, Duration.ofMinutes(5));
    assertNotNull(held);
    io.cairn.storage.testkit.MutableClock clock =
        new io.cairn.storage.testkit.MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    java.util.function.BooleanSupplier stillHeld = held.renewingEvery(Duration.ofMinutes(1), clock);
    held.close(); // lost, but the check does not ask before its interval has passed
    assertTrue(stillHeld.getAsBoolean(), "within the interval: no call to the backend");
    clock.advance(Duration.ofSeconds(61));
    assertFalse(stillHeld.getAsBoolean(), "past it: the renewal finds the lease lost");
  }
}
