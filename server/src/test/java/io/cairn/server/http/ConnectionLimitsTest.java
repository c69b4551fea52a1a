package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  @Test
  void oneAddressCannotTakeMoreThanItsShare() {
    ConnectionLimits limits = new ConnectionLimits(10, 3);
    for (int i = 0; i < 3; i++) {
      assertTrue(limits.tryOpen("10.0.0.1"));
    }
    assertFalse(limits.tryOpen("10.0.0.1"));
    assertTrue(limits.tryOpen("10.0.0.2"), "another address still gets in");
    assertEquals(4, limits.open());
    limits.closed("10.0.0.1");
    assertTrue(limits.tryOpen("10.0.0.1"), "a closed connection frees its place");
  }

  @Test
  void aTrustedProxyIsHeldOnlyToTheTotal() {
    ConnectionLimits limits = new ConnectionLimits(10, 2, "10.0.0.9"::equals);
    for (int i = 0; i < 10; i++) {
      assertTrue(limits.tryOpen("10.0.0.9"));
    }
    assertFalse(limits.tryOpen("10.0.0.9"));
  }

  @Test
  void theTotalCapHoldsAcrossAddresses() {
    ConnectionLimits limits = new ConnectionLimits(4, 0);
    for (int i = 0; i < 4; i++) {
      assertTrue(limits.tryOpen("10.0.0." + i));
    }
    assertFalse(limits.tryOpen("10.0.0.9"));
    assertEquals(4, limits.open());
  }

  @Test
  void addressesAreForgottenWhenTheirLastConnectionCloses() {
    ConnectionLimits limits = new ConnectionLimits(100_000, 5);
    for (int i = 0; i < 1000; i++) {
      assertTrue(limits.tryOpen("a" + i));
      limits.closed("a" + i);
    }
    assertEquals(0, limits.open());
    assertEquals(0, limits.addresses());
  }
}
