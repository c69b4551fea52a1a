package io.cairn.server.scrub;

import java.time.Duration;

/**
 * How the background scrub runs ({@code scrub.*} in conf/cairn.properties).
 *
 * @param bytesPerSecond the most chunk bytes read per second; zero: no scrub
 * @param interval the least time from the start of one pass to the start of the next
 */
public record ScrubSettings(long bytesPerSecond, Duration interval) {
  /** 8 MiB/s: a terabyte a day and a half, a small share of any disk's or bucket's bandwidth. */
  public static final long DEFAULT_RATE = 8L << 20;

  public static ScrubSettings defaults() {
    return new ScrubSettings(DEFAULT_RATE, Duration.ofHours(24));
  }

  /** Whether the server scrubs at all. */
  public boolean enabled() {
    return bytesPerSecond > 0;
  }
}
