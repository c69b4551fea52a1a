package io.cairn.cluster.lease;

import io.cairn.storage.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

class LocalLeasesTest extends LeasesContractTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final LocalLeases leases = new LocalLeases(clock);

  @Override
  protected Leases node(int i) {
    return leases;
  }

  @Override
  protected void letLapse() {
    clock.advance(SHORT.plus(Duration.ofMillis(1)));
  }
}
