package io.cairn.cluster.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@link Leases} within one process (a single node), lapsing on the given clock. */
public final class LocalLeases implements Leases {
  private record Holder(String token, Instant until) {}

  private final Clock clock;
  private final Map<String, Holder> held = new HashMap<>();

  public LocalLeases(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Lease tryAcquire(String name, Duration ttl) {
    Holder current = held.get(name);
    if (current != null && clock.instant().isBefore(current.until())) {
      return null;
    }
    String token = UUID.randomUUID().toString();
    held.put(name, new Holder(token, clock.instant().plus(ttl)));
    return new Lease() {
      @Override
      public boolean renew() {
        synchronized (LocalLeases.this) {
          Holder h = held.get(name);
          if (h == null || !h.token().equals(token) || !clock.instant().isBefore(h.until())) {
            return false;
          }
          held.put(name, new Holder(token, clock.instant().plus(ttl)));
          return true;
        }
      }

      @Override
      public void close() {
        synchronized (LocalLeases.this) {
          held.computeIfPresent(name, (n, h) -> h.token().equals(token) ? null : h);
        }
      }
    };
  }
}
