package io.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.files.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The failure throttle and the credential cache on a clock the test moves. */
class LoginThrottleTest {
  /** A clock that moves only when told. */
  static final class TestClock extends Clock {
    long millis = 1_000_000;

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
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  @Test
  void tenFailuresLockOutThePairOnly() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.pairLimit; i++) {
      assertEquals(0, t.retryAfterSeconds("alice", "10.0.0.9"), "attempt " + i);
      assertEquals(i == t.pairLimit - 1, t.failed("alice", "10.0.0.9").lockedOut(), "attempt " + i);
    }
    assertEquals(300, t.retryAfterSeconds("alice", "10.0.0.9"));
    assertEquals(0, t.retryAfterSeconds("alice", "10.0.0.10"), "the same user from another address");
    assertEquals(0, t.retryAfterSeconds("bob", "10.0.0.9"), "another user from the same address");
    assertEquals(0, t.retryAfterSeconds(null, "10.0.0.9"), "a bearer token names no user: never refused");
    clock.millis += 299_000;
    assertEquals(1, t.retryAfterSeconds("alice", "10.0.0.9"));
    clock.millis += 1_000;
    assertEquals(0, t.retryAfterSeconds("alice", "10.0.0.9"));
  }

  @Test
  void throttledAddressesAreCountedOnceEachAndOnlyWhileTheThrottleActs() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    assertEquals(new LoginThrottle.Throttled(0, 0), t.throttledNow());
    for (int i = 0; i < t.pairLimit; i++) {
      t.failed("alice", "10.0.0.9");
      t.failed("bob", "10.0.0.9");
    }
    for (int i = 0; i < t.slowAfter; i++) {
      t.failed("carol", "10.0.0.7"); // not past slowAfter: answered at once
    }
    assertEquals(new LoginThrottle.Throttled(1, 1), t.throttledNow(),
        "two users locked out from one address are one address refused; it is also slowed");
    t.failed("carol", "10.0.0.7");
    assertEquals(2, t.throttledNow().delayed(), "one failure more and the other address is slowed too");
    clock.millis += t.lockoutMillis;
    assertEquals(0, t.throttledNow().refused(), "the lockouts ended");
    clock.millis += t.windowMillis;
    assertEquals(new LoginThrottle.Throttled(0, 0), t.throttledNow(), "the window passed");
  }

  @Test
  void oneAddressGuessingManyNamesIsSlowedButNeverLocksOthersOut() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    long last = 0;
    for (int i = 0; i < 500; i++) {
      last = t.failed("user" + i, "10.0.0.66").delayMillis();
    }
    assertEquals(LoginThrottle.MAX_DELAY_MILLIS, last, "slowed, up to the cap");
    assertEquals(0, t.retryAfterSeconds("someone", "10.0.0.66"), "never refused: the innocent may log in");
    assertEquals(0, t.retryAfterSeconds("user1", "10.0.0.66"), "one failure per pair is far below the limit");
    assertEquals(0, t.failed("someone", "10.0.0.67").delayMillis(), "another address is not slowed");
  }

  @Test
  void oneUserGuessedFromManyAddressesIsSlowedButNotLockedOut() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    long[] delays = new long[100];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = t.failed("carol", "10.1.0." + i).delayMillis();
    }
    assertEquals(0, delays[t.slowAfter - 1]);
    assertEquals(LoginThrottle.STEP_MILLIS, delays[t.slowAfter]);
    assertTrue(delays[9] > delays[3], java.util.Arrays.toString(delays));
    assertEquals(LoginThrottle.MAX_DELAY_MILLIS, delays[99], "capped");
    assertEquals(0, t.retryAfterSeconds("carol", "192.168.1.2"), "carol logs in from home");
  }

  @Test
  void aSuccessForgivesThePairAndTheUserNotTheAddress() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.pairLimit - 1; i++) {
      t.failed("dave", "a");
    }
    t.succeeded("dave", "a");
    assertEquals(0, t.failed("dave", "b").delayMillis(), "the user's count was forgiven");
    assertEquals(false, t.failed("dave", "a").lockedOut(), "the pair's count was forgiven");
    assertTrue(t.failed("mallory", "a").delayMillis() > 0, "the address's count was not");
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.pairLimit - 1; i++) {
      t.failed("carl", "c");
    }
    clock.millis += t.windowMillis + 1;
    assertEquals(0, t.failed("carl", "c").delayMillis());
    assertEquals(0, t.retryAfterSeconds("carl", "c"));
  }

  @Test
  void tablesStayBounded() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.pairLimit; i++) {
      t.failed("victim", "x");
    }
    assertTrue(t.retryAfterSeconds("victim", "x") > 0);
    // a flood of other names and addresses pushes the oldest keys out instead of growing memory
    for (int i = 0; i < LoginThrottle.MAX_KEYS + 10; i++) {
      t.failed("n" + i, "z" + i);
    }
    for (int size : t.sizes()) {
      assertEquals(LoginThrottle.MAX_KEYS, size);
    }
    assertEquals(0, t.retryAfterSeconds("victim", "x"), "evicted, as the bound requires");
  }

  @Test
  void credentialCacheKeysHideTheSecretAndExpire() {
    CredentialCache c = new CredentialCache(1000, 100);
    String k = c.keyOf("password", "alice", "hunter22");
    assertTrue(!k.contains("hunter22") && !k.contains("alice"));
    assertTrue(!k.equals(c.keyOf("password", "alice", "hunter23")));
    assertTrue(!k.equals(new CredentialCache(1000, 100).keyOf("password", "alice", "hunter22")), "per-process key");
    Caller alice = new Caller("alice", "home:alice", -1);
    c.put(k, new CredentialCache.Entry(alice, "h", null, 2000, 0));
    assertEquals(alice, c.get(k, 1999).user());
    assertEquals(null, c.get(k, 2000));
    c.put(k, new CredentialCache.Entry(alice, "h", "t", 5000, 0));
    c.dropToken("t");
    assertEquals(null, c.get(k, 0));
    c.put(k, new CredentialCache.Entry(alice, "h", null, 5000, 0));
    c.dropUser("alice");
    assertEquals(0, c.size());
  }
}
