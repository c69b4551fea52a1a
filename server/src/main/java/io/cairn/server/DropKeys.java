package io.cairn.server;

import io.cairn.server.web.DropLimits;
import java.util.Map;
import java.util.Set;

/**
 * The {@code drop.*} configuration keys: what visitors of upload-only share links may hold of one
 * node ({@link DropLimits}, docs/operations.md#limits).
 */
final class DropKeys {
  static final Set<String> KEYS = Set.of("drop.parts.in.flight", "drop.parts.in.flight.per.link",
      "drop.begins.per.minute.per.link", "drop.begins.per.minute.per.address");

  private DropKeys() {}

  static DropLimits parse(Map<String, String> values) {
    DropLimits d = DropLimits.defaults();
    return new DropLimits(
        (int) ServerConfig.number(values, "drop.parts.in.flight", d.partsInFlight(), 1, 1024),
        (int) ServerConfig.number(values, "drop.parts.in.flight.per.link", d.partsInFlightPerLink(), 1, 1024),
        (int) ServerConfig.number(values, "drop.begins.per.minute.per.link", d.beginsPerMinutePerLink(), 1, 1_000_000),
        (int) ServerConfig.number(values, "drop.begins.per.minute.per.address", d.beginsPerMinutePerAddress(), 1, 1_000_000));
  }
}
