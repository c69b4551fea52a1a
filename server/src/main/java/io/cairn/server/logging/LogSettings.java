package io.cairn.server.logging;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the server logs, from the {@code log.*} keys (conf/cairn.properties, docs/operations.md).
 *
 * @param rootLevel the level of every logger not named in {@code levels}: trace, debug, info,
 *     warn, error or off
 * @param levels levels by logger name (a package or class), e.g. {@code io.cairn.webdav = debug}
 * @param json JSON lines (one object per event) instead of plain text
 * @param accessFile where the access log goes instead of the console, or null
 * @param accessMaxBytes the size at which the access log file rolls over
 * @param accessMaxFiles how many rolled access log files are kept ({@code FILE.1} the newest), 1 to
 *     {@link #MAX_ACCESS_FILES}
 */
public record LogSettings(
    String rootLevel, Map<String, String> levels, boolean json, Path accessFile, long accessMaxBytes,
    int accessMaxFiles) {

  /** The most rolled access log files kept: Logback's fixed window renames at most this many. */
  public static final int MAX_ACCESS_FILES = 20;

  /** The levels a key may name. */
  public static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error", "off");

  /** What a server does with no {@code log.*} key: info and up, plain lines, all on the console. */
  public static LogSettings defaults() {
    return new LogSettings("info", Map.of(), false, null, 100L << 20, 7);
  }
}
