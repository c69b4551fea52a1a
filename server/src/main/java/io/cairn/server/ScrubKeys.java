package io.cairn.server;

import io.cairn.server.scrub.ScrubSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The {@code scrub.*} configuration keys: the background scrub of stored chunks (ADR 0016). */
final class ScrubKeys {
  static final Set<String> KEYS = Set.of("scrub.rate.bytes.per.second", "scrub.interval.hours");

  /** 10 GiB/s: more than any store here reads, so in effect no limit. */
  private static final long MAX_RATE = 10L << 30;

  private ScrubKeys() {}

  static ScrubSettings parse(Map<String, String> values) {
    ScrubSettings d = ScrubSettings.defaults();
    long rate = ServerConfig.size(values, "scrub.rate.bytes.per.second", d.bytesPerSecond());
    if (rate < 0 || rate > MAX_RATE) {
      throw new ServerConfig.InvalidConfig("scrub.rate.bytes.per.second must be between 0 (no scrub) and "
          + MAX_RATE + ", not " + values.get("scrub.rate.bytes.per.second"));
    }
    return new ScrubSettings(rate,
        Duration.ofHours(ServerConfig.number(values, "scrub.interval.hours", d.interval().toHours(), 1, 24 * 365)));
  }
}
