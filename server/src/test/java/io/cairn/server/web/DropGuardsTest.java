package io.cairn.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.http.JsonRoutes.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Who a drop link's begin limits count: a visitor's network, and the link apart from addresses; how
 * many parts the node reads at once for its heap.
 */
class DropGuardsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void addressesOfOneIpv6SubnetAreOneVisitor() {
    assertEquals("2001:db8:1:2:0:0:0:0/64", DropGuards.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    assertEquals(DropGuards.network("2001:db8:1:2::1"), DropGuards.network("2001:db8:1:2:ffff::9"));
    assertTrue(!DropGuards.network("2001:db8:1:3::1").equals(DropGuards.network("2001:db8:1:2::1")));
    assertEquals("192.0.2.7", DropGuards.network("192.0.2.7"));
    DropGuards guards = new DropGuards(new DropLimits(16, 4, 1000, 3), clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, guards.begin("link", "2001:db8:1:2::" + Integer.toHexString(i + 1)));
    }
    assertTrue(guards.begin("link", "2001:db8:1:2::99") > 0, "a fourth address of the same /64 waits");
    assertEquals(0, guards.begin("link", "2001:db8:9:9::1"), "another network does not");
  }

  @Test
  void aFloodOfAddressesDoesNotResetALinksCount() {
    DropGuards guards = new DropGuards(new DropLimits(16, 4, 2, 1), clock);
    assertEquals(0, guards.begin("link", "192.0.2.1"));
    for (int i = 0; i < DropGuards.MAX_KEYS + 10; i++) {
      guards.begin("other", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertEquals(0, guards.begin("link", "192.0.2.2"), "the link's second begin of the minute");
    assertTrue(guards.begin("link", "192.0.2.3") > 0, "its third waits: the addresses did not push its count out");
  }

  @Test
  void partsReadAtOnceScaleWithTheHeap() {
    long mib = 1L << 20;
    assertEquals(2, DropLimits.forHeap(128 * mib).partsInFlight(), "bin/cairn's heap: 16 MiB of parts");
    assertEquals(2, DropLimits.forHeap(128 * mib).partsInFlightPerLink());
    assertEquals(8, DropLimits.forHeap(512 * mib).partsInFlight());
    assertEquals(4, DropLimits.forHeap(512 * mib).partsInFlightPerLink());
    assertEquals(16, DropLimits.forHeap(8192 * mib).partsInFlight(), "at most the former fixed 16");
    assertEquals(2, DropLimits.forHeap(16 * mib).partsInFlight(), "at least 2 on a tiny heap");

    DropGuards guards = new DropGuards(DropLimits.forHeap(128 * mib), clock);
    DropGuards.Slot first = guards.part("a");
    guards.part("b");
    Refusal busy = assertThrows(Refusal.class, () -> guards.part("c"));
    assertEquals(503, busy.status());
    first.close();
    guards.part("c");
  }
}
