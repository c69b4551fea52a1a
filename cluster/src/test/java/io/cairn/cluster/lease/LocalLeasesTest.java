package io.cairn.cluster.lease;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

class LocalLeasesTest extends LeasesContractTest {
  private Instant now = Instant.parse("2026-12-04T12:00:00Z");
  private final LocalLeases leases = new LocalLeases(new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  });

  @Override
  protected Leases node(int i) {
    return leases;
  }

  @Override
  protected void letLapse() {
    now = now.plus(SHORT).plusMillis(1);
  }
}
