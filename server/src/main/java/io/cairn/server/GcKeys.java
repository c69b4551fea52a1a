package io.cairn.server;

import io.cairn.server.gc.GcSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The {@code gc.*} configuration keys: chunk garbage collection (docs/operations.md, ADR 0012). */
final class GcKeys {
  static final Set<String> KEYS = Set.of("gc.interval.hours", "gc.grace.hours", "gc.deletes.per.second");

  private GcKeys() {}

  static GcSettings parse(Map<String, String> values) {
    GcSettings d = GcSettings.defaults();
    return new GcSettings(
        Duration.ofHours(ServerConfig.number(values, "gc.interval.hours", d.interval().toHours(), 0, 24 * 365)),
        Duration.ofHours(ServerConfig.number(values, "gc.grace.hours", d.grace().toHours(),
            GcSettings.MIN_GRACE.toHours(), 24 * 365)),
        (int) ServerConfig.number(values, "gc.deletes.per.second", d.deletesPerSecond(), 0, 1_000_000));
  }
}
