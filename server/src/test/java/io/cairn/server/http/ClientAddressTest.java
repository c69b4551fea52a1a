package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Who a request is from, behind trusted and untrusted proxies and with forged or broken headers. */
class ClientAddressTest {
  private final ClientAddress proxies = ClientAddress.trusting("10.0.0.0/8, 192.0.2.7, fd00::/8");

  @Test
  void withoutTrustedProxiesTheHeadersAreIgnored() {
    ClientAddress none = ClientAddress.trusting("");
    assertTrue(none.trustsNone());
    assertEquals("10.1.1.1", none.resolve("10.1.1.1", "203.0.113.5", "for=203.0.113.6"));
    assertEquals("10.1.1.1", ClientAddress.peerOnly().resolve("10.1.1.1", "203.0.113.5", null));
  }

  @Test
  void anUntrustedPeerCannotNameAnotherClient() {
    assertEquals("203.0.113.9", proxies.resolve("203.0.113.9", "198.51.100.1", null));
    assertEquals("203.0.113.9", proxies.resolve("203.0.113.9", null, "for=198.51.100.1"));
  }

  @Test
  void aTrustedPeerNamesTheRightMostUntrustedAddress() {
    // the client forged the first entry; the proxies appended what they saw
    assertEquals("203.0.113.5", proxies.resolve("10.0.0.1", "1.2.3.4, 203.0.113.5, 10.9.9.9", null));
    assertEquals("203.0.113.5", proxies.resolve("192.0.2.7", "203.0.113.5", null));
    assertEquals("203.0.113.5", proxies.resolve("10.0.0.1", "203.0.113.5:4711", null));
    assertEquals("2001:db8:0:0:0:0:0:1", proxies.resolve("10.0.0.1", "[2001:db8::1]:80, 10.0.0.2", null));
    assertEquals("2001:db8:0:0:0:0:0:1", proxies.resolve("fd00::1", "2001:db8::1", null));
    assertEquals("10.0.0.3", proxies.resolve("10.0.0.1", "10.0.0.3, 10.0.0.2", null), "all hops trusted: the first");
    assertEquals("203.0.113.5", proxies.resolve("::ffff:10.0.0.1", "203.0.113.5", null), "IPv4-mapped peer");
  }

  @Test
  void theForwardedHeaderIsReadWhenThereIsNoXForwardedFor() {
    assertEquals("203.0.113.5", proxies.resolve("10.0.0.1", null, "for=198.51.100.1, for=203.0.113.5;proto=https"));
    assertEquals("2001:db8:0:0:0:0:0:cafe", proxies.resolve("10.0.0.1", null, "For=\"[2001:db8::cafe]:4711\";by=10.0.0.1"));
    assertEquals("203.0.113.5", proxies.resolve("10.0.0.1", null, "proto=http;for=\"203.0.113.5\", for=10.0.0.2"));
    assertEquals("198.51.100.1", proxies.resolve("10.0.0.1", "198.51.100.1", "for=203.0.113.5"), "X-Forwarded-For wins");
  }

  @Test
  void garbageFallsBackToThePeer() {
    String[] bad = {
      "unknown", "_hidden", "example.com", "localhost", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1",
      "1.2.3.4:http", "[1.2.3.4]", "[::1", "::zz", ":::", ".:1", "\"\"", ",,,", "1.2.3.4:99999999",
      "a".repeat(10_000), "[" + "1:".repeat(100) + "]", "\u00e9.1.1.1",
    };
    for (String b : bad) {
      assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", b, null), b);
      assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", null, "for=" + b), b);
      assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", null, "for=\"" + b), b);
    }
    assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", null, "proto=https"), "no for=");
    assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", "  ", null));
    assertEquals("not-an-ip", proxies.resolve("not-an-ip", "203.0.113.5", null));
    assertNull(proxies.resolve(null, "203.0.113.5", null));
  }

  @Test
  void aLongForgedChainCostsABoundedWalk() {
    String chain = "203.0.113.5, " + "10.0.0.2, ".repeat(1000) + "10.0.0.2";
    assertEquals("10.0.0.1", proxies.resolve("10.0.0.1", chain, null));
  }

  @Test
  void badProxyListsAreRefusedNamingTheEntry() {
    for (String bad : new String[] {"proxy.example.com", "10.0.0.0/33", "10.0.0.0/", "fd00::/129", "10.0.0.0/x", "1.2.3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    ClientAddress wide = ClientAddress.trusting("0.0.0.0/0");
    assertEquals("203.0.113.5", wide.resolve("198.51.100.1", "203.0.113.5", null));
    ClientAddress odd = ClientAddress.trusting("10.0.0.0/13");
    assertEquals("203.0.113.5", odd.resolve("10.7.255.255", "203.0.113.5", null));
    assertEquals("10.8.0.0", odd.resolve("10.8.0.0", "203.0.113.5", null));
  }
}
