package io.cairn.server.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins within a window in three tables: per (user, address) pair, per address and
 * per user name.
 *
 * <ul>
 *   <li>Only a <b>pair</b> is ever refused: after {@link #pairLimit} failures of user U from
 *       address A, U from A is answered 429 for {@link #lockoutMillis} without the password being
 *       checked. U from any other address, and any other user from A, are not affected: one client
 *       cannot lock out the users it shares an address with (NAT, a proxy), nor a user everywhere.
 *   <li>An <b>address</b> guessing many names and a <b>user</b> guessed at from many addresses are
 *       slowed, never refused: past {@link #slowAfter} failures each further failed answer is held
 *       back, {@link #STEP_MILLIS} more per failure up to {@link #MAX_DELAY_MILLIS}. Only failures
 *       wait; a correct password is answered at once, so an innocent user at a failing address (or
 *       a user under attack logging in from home) pays nothing.
 * </ul>
 *
 * A success forgives the pair and the user (only the right password can do that); an address's
 * failures are never forgiven (an attacker with a valid account of their own could reset them).
 * Each table keeps at most {@link #MAX_KEYS} keys, forgetting the least recently touched, so a
 * flood of names or addresses cannot grow memory. Thread-safe. Share links' passwords are throttled
 * by a throttle of their own, with the link in place of the user.
 */
public final class LoginThrottle {
  static final int MAX_KEYS = 10_000;
  static final long STEP_MILLIS = 100;
  static final long MAX_DELAY_MILLIS = 1000;

  /** What a failure led to: how long to hold the answer back, and whether it (re)started the pair's lockout. */
  public record Failure(long delayMillis, boolean lockedOut) {}

  private final Clock clock;
  final int slowAfter;
  final int pairLimit;
  final long windowMillis;
  final long lockoutMillis;
  private final Table pairs = new Table();
  private final Table addresses = new Table();
  private final Table users = new Table();
  // The latest end of any lockout: until then the pair table is consulted; after it, no pair can be
  // locked and the check (made for every request, cached credentials too) takes no lock.
  private volatile long anyLockedUntil;

  LoginThrottle(Clock clock, int slowAfter, int pairLimit, long windowMillis, long lockoutMillis) {
    this.clock = clock;
    this.slowAfter = slowAfter;
    this.pairLimit = pairLimit;
    this.windowMillis = windowMillis;
    this.lockoutMillis = lockoutMillis;
  }

  /** Defaults: slow after 3 failures; 429 after 10 of one user from one address in 15 minutes, for 5 minutes. */
  public static LoginThrottle standard(Clock clock) {
    return new LoginThrottle(clock, 3, 10, 15 * 60_000L, 5 * 60_000L);
  }

  /**
   * Seconds to wait before {@code user} may try again from {@code address}, or 0 when they may try
   * now. Always 0 for a null user (a bearer token names none) or address.
   */
  public long retryAfterSeconds(String user, String address) {
    String pair = pair(user, address);
    if (pair == null) {
      return 0;
    }
    long now = clock.millis();
    if (now >= anyLockedUntil) {
      return 0;
    }
    long until = pairs.lockedUntil(pair);
    return until <= now ? 0 : Math.max(1, (until - now + 999) / 1000);
  }

  /** Records a failure of {@code user} (null: unknown) from {@code address} (null: unknown). */
  public Failure failed(String user, String address) {
    long now = clock.millis();
    String pair = pair(user, address);
    int p = pairs.fail(pair, now, windowMillis);
    boolean locked = pair != null && p >= pairLimit;
    if (locked) {
      pairs.lock(pair, now + lockoutMillis);
      synchronized (this) {
        anyLockedUntil = Math.max(anyLockedUntil, now + lockoutMillis);
      }
    }
    int a = addresses.fail(address, now, windowMillis);
    int u = users.fail(user, now, windowMillis);
    int n = Math.max(p, Math.max(a, u));
    long delay = n <= slowAfter ? 0 : Math.min(MAX_DELAY_MILLIS, STEP_MILLIS * (n - slowAfter));
    return new Failure(delay, locked);
  }

  /**
   * How many client addresses the throttle acts on now: {@code refused}, addresses from which at
   * least one user is locked out (answered 429); {@code delayed}, addresses whose failures within
   * the window are past {@link #slowAfter}, so their next failed answer is held back. A pass over
   * tables of at most {@link #MAX_KEYS} keys each: cheap enough for every scrape.
   */
  public record Throttled(int refused, int delayed) {}

  /** The addresses throttled now ({@link Throttled}). */
  public Throttled throttledNow() {
    long now = clock.millis();
    java.util.Set<String> refusing = new java.util.HashSet<>();
    if (now < anyLockedUntil) {
      pairs.forEach((pair, c) -> {
        if (c.lockedUntil > now) {
          refusing.add(pair.substring(0, pair.indexOf('\n')));
        }
      });
    }
    int[] delayed = new int[1];
    addresses.forEach((address, c) -> {
      if (now - c.windowStart <= windowMillis && c.failures > slowAfter) {
        delayed[0]++;
      }
    });
    return new Throttled(refusing.size(), delayed[0]);
  }

  /** Forgets the failures of {@code user}, from {@code address} and overall, after a successful login. */
  public void succeeded(String user, String address) {
    pairs.clear(pair(user, address));
    users.clear(user);
  }

  private static String pair(String user, String address) {
    // A newline cannot occur in an address, so no two pairs share a key.
    return user == null || address == null ? null : address + "\n" + user;
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

    synchronized long lockedUntil(String key) {
      Counter c = map.get(key);
      return c == null ? 0 : c.lockedUntil;
    }

    /** Counts a failure of {@code key} (none when null); returns its failures in the window. */
    synchronized int fail(String key, long now, long window) {
      if (key == null) {
        return 0;
      }
      Counter c = map.computeIfAbsent(key, k -> new Counter());
      if (now - c.windowStart > window) {
        c.failures = 0;
        c.windowStart = now;
      }
      c.failures++;
      return c.failures;
    }

    synchronized void lock(String key, long until) {
      Counter c = map.get(key);
      if (c != null) {
        c.lockedUntil = Math.max(c.lockedUntil, until);
      }
    }

    synchronized int size() {
      return map.size();
    }

    /** Calls {@code action} with each key and its counter, holding the table (no failure counts meanwhile). */
    synchronized void forEach(java.util.function.BiConsumer<String, Counter> action) {
      map.forEach(action);
    }

    synchronized void clear(String key) {
      if (key != null) {
        map.remove(key);
      }
    }
  }

  /** Keys held in each table (pairs, addresses, users), for tests of the bound. */
  int[] sizes() {
    return new int[] {pairs.size(), addresses.size(), users.size()};
  }
}
