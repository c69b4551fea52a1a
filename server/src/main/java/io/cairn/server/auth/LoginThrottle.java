package io.cairn.server.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins per user name and per client address within a window. Past {@link
 * #slowAfter} failures each further failure is answered late (a growing delay, capped), and past
 * the limit the key is refused with 429 for {@link #lockoutMillis} without the password even being
 * checked. A user's failures are forgiven by a successful login; an address's are not (one
 * attacker with a valid account of their own cannot reset them). Both tables keep at most {@link
 * #MAX_KEYS} keys, forgetting the least recently touched, so a flood of names cannot grow memory.
 *
 * <p>The address limit is higher than the user limit: many users may share one address (NAT, a
 * proxy), and one of them guessing must not lock the others out early.
 */
final class LoginThrottle {
  static final int MAX_KEYS = 10_000;

  private final Clock clock;
  final int slowAfter;
  final int userLimit;
  final int addressLimit;
  final long windowMillis;
  final long lockoutMillis;
  private final Table users = new Table();
  private final Table addresses = new Table();

  LoginThrottle(Clock clock, int slowAfter, int userLimit, int addressLimit, long windowMillis, long lockoutMillis) {
    this.clock = clock;
    this.slowAfter = slowAfter;
    this.userLimit = userLimit;
    this.addressLimit = addressLimit;
    this.windowMillis = windowMillis;
    this.lockoutMillis = lockoutMillis;
  }

  /** Defaults: slow after 3 failures, 429 after 10 per user or 50 per address in 15 minutes, for 5 minutes. */
  static LoginThrottle standard(Clock clock) {
    return new LoginThrottle(clock, 3, 10, 50, 15 * 60_000L, 5 * 60_000L);
  }

  /** Seconds to wait before trying again when {@code user} or {@code address} is locked out, else 0. */
  long retryAfterSeconds(String user, String address) {
    long now = clock.millis();
    long until = Math.max(users.lockedUntil(user, now), addresses.lockedUntil(address, now));
    return until <= now ? 0 : Math.max(1, (until - now + 999) / 1000);
  }

  /** Records a failure; returns how long to hold the answer back, in milliseconds. */
  long failed(String user, String address) {
    long now = clock.millis();
    int u = users.fail(user, now, windowMillis, userLimit, lockoutMillis);
    int a = addresses.fail(address, now, windowMillis, addressLimit, lockoutMillis);
    int n = Math.max(u, a);
    return n <= slowAfter ? 0 : Math.min(1000, 100L * (n - slowAfter));
  }

  /** Forgets the failures of {@code user} after a successful login. */
  void succeeded(String user) {
    users.clear(user);
  }

  /** A bounded table of failure counters. */
  private static final class Table {
    private static final class Counter {
      int failures;
      long windowStart;
      long lockedUntil;
    }

    private final LinkedHashMap<String, Counter> map =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
            return size() > MAX_KEYS;
          }
        };

    synchronized long lockedUntil(String key, long now) {
      Counter c = key == null ? null : map.get(key);
      return c == null ? 0 : c.lockedUntil;
    }

    synchronized int fail(String key, long now, long window, int limit, long lockout) {
      if (key == null) {
        return 0;
      }
      Counter c = map.computeIfAbsent(key, k -> new Counter());
      if (now - c.windowStart > window) {
        c.failures = 0;
        c.windowStart = now;
      }
      c.failures++;
      if (c.failures >= limit) {
        c.lockedUntil = now + lockout;
      }
      return c.failures;
    }

    synchronized void clear(String key) {
      if (key != null) {
        map.remove(key);
      }
    }
  }
}
