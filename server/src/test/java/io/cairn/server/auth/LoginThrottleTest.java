package io.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.webdav.auth.DavUser;
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
  void slowsDownThenLocksOutTheUserNotOthers() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    long[] delays = new long[10];
    for (int i = 0; i < 10; i++) {
      assertEquals(0, t.retryAfterSeconds("mallory", "10.0.0.9"), "attempt " + i);
      delays[i] = t.failed("mallory", "10.0.0.9");
    }
    assertEquals(0, delays[2]);
    assertTrue(delays[3] > 0 && delays[9] > delays[3] && delays[9] <= 1000, java.util.Arrays.toString(delays));
    assertEquals(300, t.retryAfterSeconds("mallory", "10.0.0.9"));
    assertEquals(300, t.retryAfterSeconds("mallory", "10.0.0.10"), "per user, from any address");
    assertEquals(0, t.retryAfterSeconds("erin", "10.0.0.9"), "the address is below its own limit");
    clock.millis += 299_000;
    assertEquals(1, t.retryAfterSeconds("mallory", "10.0.0.9"));
    clock.millis += 1_000;
    assertEquals(0, t.retryAfterSeconds("mallory", "10.0.0.9"));
  }

  @Test
  void oneAddressGuessingManyNamesIsLockedOut() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.addressLimit; i++) {
      t.failed("user" + i, "10.0.0.66");
    }
    assertTrue(t.retryAfterSeconds("someone", "10.0.0.66") > 0);
    assertEquals(0, t.retryAfterSeconds("someone", "10.0.0.67"));
  }

  @Test
  void successForgivesTheUserAndTheWindowExpires() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < 9; i++) {
      t.failed("dave", "a");
    }
    t.succeeded("dave");
    assertEquals(0, t.retryAfterSeconds("dave", "b"));
    for (int i = 0; i < 9; i++) {
      t.failed("carl", "c" + i);
    }
    clock.millis += t.windowMillis + 1;
    t.failed("carl", "d");
    assertEquals(0, t.retryAfterSeconds("carl", "e"), "failures outside the window are forgotten");
  }

  @Test
  void tablesStayBounded() {
    TestClock clock = new TestClock();
    LoginThrottle t = LoginThrottle.standard(clock);
    for (int i = 0; i < t.userLimit; i++) {
      t.failed("victim", "x" + i);
    }
    assertTrue(t.retryAfterSeconds("victim", "y") > 0);
    // a flood of other names and addresses pushes the oldest keys out instead of growing memory
    for (int i = 0; i < LoginThrottle.MAX_KEYS + 10; i++) {
      t.failed("n" + i, "z" + i);
    }
    assertEquals(0, t.retryAfterSeconds("victim", "y"), "evicted, as the bound requires");
  }

  @Test
  void credentialCacheKeysHideTheSecretAndExpire() {
    CredentialCache c = new CredentialCache(1000, 100);
    String k = c.keyOf("password", "alice", "hunter22");
    assertTrue(!k.contains("hunter22") && !k.contains("alice"));
    assertTrue(!k.equals(c.keyOf("password", "alice", "hunter23")));
    assertTrue(!k.equals(new CredentialCache(1000, 100).keyOf("password", "alice", "hunter22")), "per-process key");
    DavUser alice = new DavUser("alice", "home:alice", -1);
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
