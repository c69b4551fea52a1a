package io.cairn.server;

import io.cairn.server.logging.LogSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code log.*} configuration keys (conf/cairn.properties, docs/operations.md#logs): the
 * level of every logger ({@code log.level}) and of one package or class ({@code
 * log.level.io.cairn.webdav = debug}), plain or JSON lines, the access log to a rolling file.
 */
final class LogKeys {
  /** Before a logger's name: {@code log.level.io.milton = info}. */
  static final String LEVEL_PREFIX = "log.level.";

  static final Set<String> KEYS =
      Set.of("log.level", "log.format", "log.access.file", "log.access.max.size", "log.access.max.files");

  /**
   * Keys of earlier versions that now mean something else, with what to set instead: loading
   * refuses them with that advice rather than as unknown keys.
   */
  static final Map<String, String> REPLACED = Map.of("log.access.max.days",
      "log.access.max.days is gone: the access log rolls over by size only and keeps a number of files;"
          + " set log.access.max.files (1 to " + LogSettings.MAX_ACCESS_FILES + ") instead");

  private LogKeys() {}

  /** Whether {@code key} is one of ours, the per-logger levels included. */
  static boolean isKey(String key) {
    return KEYS.contains(key) || (key.startsWith(LEVEL_PREFIX) && key.length() > LEVEL_PREFIX.length());
  }

  /**
   * The key of a per-logger level variable, {@code CAIRN_LOG_LEVEL_IO_CAIRN_WEBDAV} being {@code
   * log.level.io.cairn.webdav} (package names are lower case); null for any other variable.
   */
  static String levelKeyOf(String variable) {
    String prefix = ServerConfig.envName(LEVEL_PREFIX);
    if (!variable.startsWith(prefix) || variable.length() == prefix.length()) {
      return null;
    }
    return LEVEL_PREFIX + variable.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static LogSettings parse(Map<String, String> values) {
    LogSettings d = LogSettings.defaults();
    Map<String, String> levels = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(LEVEL_PREFIX)) {
        levels.put(e.getKey().substring(LEVEL_PREFIX.length()), level(e.getKey(), e.getValue()));
      }
    }
    String format = values.getOrDefault("log.format", "plain").trim().toLowerCase(Locale.ROOT);
    if (!format.equals("plain") && !format.equals("json")) {
      throw new ServerConfig.InvalidConfig("log.format must be plain or json, not " + values.get("log.format"));
    }
    String file = values.get("log.access.file");
    return new LogSettings(
        values.containsKey("log.level") ? level("log.level", values.get("log.level")) : d.rootLevel(),
        Map.copyOf(levels),
        format.equals("json"),
        file == null || file.isBlank() ? null : Path.of(file.trim()),
        ServerConfig.size(values, "log.access.max.size", d.accessMaxBytes()),
        (int) ServerConfig.number(values, "log.access.max.files", d.accessMaxFiles(), 1, LogSettings.MAX_ACCESS_FILES));
  }

  private static String level(String key, String value) {
    String level = value.trim().toLowerCase(Locale.ROOT);
    if (!LogSettings.LEVELS.contains(level)) {
      throw new ServerConfig.InvalidConfig(key + " must be one of " + String.join(", ", LogSettings.LEVELS) + ", not " + value);
    }
    return level;
  }
}
