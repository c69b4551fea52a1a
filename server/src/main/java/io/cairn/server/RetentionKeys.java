package io.cairn.server;

import io.cairn.server.retention.RetentionPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The {@code retention.*} configuration keys: which versions and trash are kept (ADR 0014). */
final class RetentionKeys {
  static final Set<String> KEYS = Set.copyOf(RetentionPolicy.KEYS);

  private static final long TEN_YEARS = 3_653;

  private RetentionKeys() {}

  static RetentionPolicy parse(Map<String, String> values) {
    RetentionPolicy d = RetentionPolicy.defaults();
    long keepAll = ServerConfig.number(values, "retention.keep.all.days", d.keepAll().toDays(), 0, TEN_YEARS);
    long dailyUntil = ServerConfig.number(values, "retention.daily.until.days",
        Math.max(keepAll, d.dailyUntil().toDays()), keepAll, TEN_YEARS);
    long maxAge = ServerConfig.number(values, "retention.max.age.days", 0, 0, 100 * TEN_YEARS);
    if (maxAge > 0 && maxAge < keepAll) {
      throw new ServerConfig.InvalidConfig("retention.max.age.days (" + maxAge
          + ") must be 0 (none) or at least retention.keep.all.days (" + keepAll + ")");
    }
    return new RetentionPolicy(Duration.ofDays(keepAll), Duration.ofDays(dailyUntil), Duration.ofDays(maxAge),
        (int) ServerConfig.number(values, "retention.max.versions", 0, 0, 1_000_000),
        Duration.ofDays(ServerConfig.number(values, "retention.trash.days", d.trashFor().toDays(), 0, TEN_YEARS)));
  }
}
