package io.cairn.webdav.lock;

import java.time.Duration;

/**
 * The Timeout request header of LOCK (RFC 4918 §10.7): a comma-separated list of {@code
 * Second-n} and {@code Infinite}, in the client's order of preference. The server may grant less;
 * Cairn grants the first value it understands, capped at a maximum, and the maximum when the
 * header is absent, says {@code Infinite}, or holds nothing it understands. Locks never live
 * forever: a node that dies takes no lock with it for longer than the cap (design invariant 5).
 */
final class TimeoutHeader {
  private TimeoutHeader() {}

  static Duration granted(String header, Duration max) {
    if (header == null) {
      return max;
    }
    for (String part : header.split(",")) {
      String value = part.strip();
      if (value.equalsIgnoreCase("Infinite")) {
        return max;
      }
      if (value.regionMatches(true, 0, "Second-", 0, 7)) {
        String digits = value.substring(7);
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
          // Longer than 18 digits would overflow a long; it is far above any cap anyway.
          if (digits.length() > 18) {
            return max;
          }
          long seconds = Long.parseLong(digits);
          return seconds < 1 ? Duration.ofSeconds(1) : min(Duration.ofSeconds(seconds), max);
        }
      }
    }
    return max;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
