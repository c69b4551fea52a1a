package io.cairn.server.web;

import io.cairn.server.http.JsonRoutes.Refusal;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Holds anonymous uploads through drop links to {@link DropLimits}, on this node: {@link #part}
 * takes a slot for one part's body (503 when the node's or the link's are taken: the body is not
 * read, and Retry-After tells the page when to send it again), {@link #begin} counts one upload
 * begun (the caller answers 429 with Retry-After past the link's or the address's most in the
 * current minute).
 * Thread-safe.
 */
final class DropGuards {
  static final long WINDOW_MILLIS = 60_000;
  /** Links and addresses remembered at most, the least recently seen forgotten first. */
  static final int MAX_KEYS = 10_000;

  private final DropLimits limits;
  private final Clock clock;
  private final Semaphore parts;
  private final Map<String, Integer> partsPerLink = new HashMap<>();
  // Two maps, so that a flood of new addresses cannot push a link's count out and reset it.
  private final Map<String, long[]> beginsByLink = bounded();
  private final Map<String, long[]> beginsByAddress = bounded();

  DropGuards(DropLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.parts = new Semaphore(limits.partsInFlight());
  }

  /** A part's body being read; closing it gives the slot back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** A slot for one part of {@code link}'s; a 503 refusal when none is free. */
  Slot part(String link) {
    synchronized (partsPerLink) {
      int held = partsPerLink.getOrDefault(link, 0);
      if (held >= limits.partsInFlightPerLink()) {
        throw busy("this link");
      }
      if (!parts.tryAcquire()) {
        throw busy("drop links on this server");
      }
      partsPerLink.put(link, held + 1);
    }
    return () -> {
      synchronized (partsPerLink) {
        partsPerLink.computeIfPresent(link, (k, n) -> n == 1 ? null : n - 1);
        parts.release();
      }
    };
  }

  /**
   * Counts an upload begun through {@code link} from {@code address} and answers 0; or, counting
   * nothing, the seconds until either may begin another, when one has begun its most in the current
   * minute.
   */
  long begin(String link, String address) {
    long now = clock.millis();
    synchronized (beginsByLink) {
      long[] byLink = window(beginsByLink, link, now);
      long[] byAddress = window(beginsByAddress, network(address), now);
      long wait = Math.max(over(byLink, limits.beginsPerMinutePerLink(), now), over(byAddress, limits.beginsPerMinutePerAddress(), now));
      if (wait == 0) {
        byLink[1]++;
        byAddress[1]++;
      }
      return wait;
    }
  }

  /**
   * The key an address is counted under: an IPv4 address itself, an IPv6 address's /64 (one
   * subscriber's network, which hands its hosts any number of addresses within it).
   */
  static String network(String address) {
    if (address == null || address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]+")) {
      return String.valueOf(address); // IPv4, or not a bare IPv6 literal: never a name to look up
    }
    try {
      byte[] bytes = java.net.InetAddress.getByName(address).getAddress(); // a literal: no lookup
      if (bytes.length != 16) {
        return address; // an IPv4-mapped address, given back as IPv4
      }
      java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
      return java.net.InetAddress.getByAddress(bytes).getHostAddress() + "/64";
    } catch (java.net.UnknownHostException e) {
      return address;
    }
  }

  private static Map<String, long[]> bounded() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }

  /** {start, count} of {@code key}'s current window in {@code windows}, a new one when the last has passed. */
  private static long[] window(Map<String, long[]> windows, String key, long now) {
    long[] w = windows.computeIfAbsent(key, k -> new long[] {now, 0});
    if (now - w[0] >= WINDOW_MILLIS) {
      w[0] = now;
      w[1] = 0;
    }
    return w;
  }

  /** Seconds until {@code w} has room again, 0 when it has room now. */
  private static long over(long[] w, int max, long now) {
    return w[1] < max ? 0 : Math.max(1, (w[0] + WINDOW_MILLIS - now + 999) / 1000);
  }

  private static Refusal busy(String what) {
    return new Refusal(503, "transient", "too many uploads in progress through " + what + "; send the part again shortly");
  }
}
