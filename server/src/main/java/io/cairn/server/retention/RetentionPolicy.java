package io.cairn.server.retention;

import io.cairn.core.CairnException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Which versions of one file and which trash a namespace keeps ({@code retention.*} in
 * conf/cairn.properties, ADR 0014). A pure function of the versions' times and {@code now}.
 *
 * <p>Versions younger than {@code keepAll} are all kept. Older ones, up to {@code dailyUntil} of
 * age, are thinned to the newest of each calendar day (UTC); older still, to the newest of each
 * week (weeks begin on Monday, UTC). Calendar buckets, not age buckets: a version kept once stays
 * kept until it leaves its stage, so runs do not expire a cascade. Versions older than {@code
 * maxAge} expire (zero: none does); of what is left, only the newest {@code maxVersions} are kept
 * (zero: no limit). A version marked {@link Version#pinned} (the live one, or one held by a trash
 * item still in the trash) never expires, and counts towards {@code maxVersions}.
 *
 * @param keepAll every version younger than this is kept
 * @param dailyUntil versions up to this age are thinned to one a day; older ones to one a week
 * @param maxAge versions older than this expire; {@link Duration#ZERO}: kept forever (thinned)
 * @param maxVersions the most versions kept per file, the live one included; 0: no limit
 * @param trashFor a removed file or folder stays restorable from the trash this long
 */
public record RetentionPolicy(Duration keepAll, Duration dailyUntil, Duration maxAge, int maxVersions,
    Duration trashFor) {

  /** The configuration keys of a policy, in the order of the record's components. */
  public static final List<String> KEYS = List.of("retention.keep.all.days", "retention.daily.until.days",
      "retention.max.age.days", "retention.max.versions", "retention.trash.days");

  /** The largest number of days a key takes (a hundred years), and of versions. */
  static final long MAX_DAYS = 36_525;
  static final long MAX_VERSIONS = 1_000_000;

  /** One version of a file: its journal id, when it was written, and whether it must stay. */
  public record Version(long jid, Instant at, boolean pinned) {}

  public RetentionPolicy {
    if (dailyUntil.compareTo(keepAll) < 0) {
      dailyUntil = keepAll;
    }
  }

  /** 30 days of every version, one a day up to 90 days, one a week after, forever; 30 days of trash. */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 0, Duration.ofDays(30));
  }

  /**
   * This policy with {@code overrides} (keys of {@link #KEYS}, days or a count) in place of its
   * own values: a namespace's policy. INVALID for another key, a value out of range, or a maximum
   * age below the days every version is kept.
   */
  public RetentionPolicy with(Map<String, Long> overrides) {
    long[] v = {keepAll.toDays(), dailyUntil.toDays(), maxAge.toDays(), maxVersions, trashFor.toDays()};
    overrides.forEach((key, value) -> {
      int i = KEYS.indexOf(key);
      long max = key.equals("retention.max.versions") ? MAX_VERSIONS : MAX_DAYS;
      if (i < 0) {
        throw CairnException.invalid("no retention setting " + key + "; the settings are " + KEYS);
      }
      if (value == null || value < 0 || value > max) {
        throw CairnException.invalid(key + " must be between 0 and " + max + ", not " + value);
      }
      v[i] = value;
    });
    if (v[2] > 0 && v[2] < v[0]) {
      throw CairnException.invalid("retention.max.age.days (" + v[2] + ") must be 0 (none) or at least "
          + "retention.keep.all.days (" + v[0] + ")");
    }
    return new RetentionPolicy(Duration.ofDays(v[0]), Duration.ofDays(Math.max(v[0], v[1])), Duration.ofDays(v[2]),
        (int) v[3], Duration.ofDays(v[4]));
  }

  /** The policy as configuration keys and their values (days, or a count). */
  public Map<String, Long> asSettings() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(KEYS.get(0), keepAll.toDays());
    out.put(KEYS.get(1), dailyUntil.toDays());
    out.put(KEYS.get(2), maxAge.toDays());
    out.put(KEYS.get(3), (long) maxVersions);
    out.put(KEYS.get(4), trashFor.toDays());
    return out;
  }

  /** The jids among {@code versions} (one file's, in any order) that expire at {@code now}. */
  public Set<Long> expired(List<Version> versions, Instant now) {
    List<Version> newestFirst = new ArrayList<>(versions);
    newestFirst.sort(Comparator.comparing(Version::at).thenComparingLong(Version::jid).reversed());
    Set<Long> expired = new HashSet<>();
    Set<Long> bucketsSeen = new HashSet<>();
    int kept = 0;
    for (Version v : newestFirst) {
      Duration age = Duration.between(v.at(), now);
      if (v.pinned()) {
        kept++;
        if (age.compareTo(keepAll) >= 0) {
          bucketsSeen.add(bucket(v.at(), age)); // the newest of its day: older ones that day go
        }
        continue;
      }
      boolean keep;
      if (age.compareTo(keepAll) < 0) {
        keep = true;
      } else if (!maxAge.isZero() && age.compareTo(maxAge) > 0) {
        keep = false;
      } else {
        keep = bucketsSeen.add(bucket(v.at(), age)); // the newest of its day or week
      }
      if (keep && maxVersions > 0 && kept >= maxVersions) {
        keep = false;
      }
      if (keep) {
        kept++;
      } else {
        expired.add(v.jid());
      }
    }
    return expired;
  }

  /** Whether a trash item removed at {@code removedAt} has expired at {@code now}. */
  public boolean trashExpired(Instant removedAt, Instant now) {
    return !Duration.between(removedAt, now).minus(trashFor).isNegative();
  }

  /**
   * The calendar bucket a version of this age is thinned in: its UTC day while younger than
   * {@code dailyUntil}, its Monday-based UTC week after. Day buckets are non-negative, week buckets
   * negative, so the two never meet.
   */
  private long bucket(Instant at, Duration age) {
    long day = at.truncatedTo(ChronoUnit.DAYS).getEpochSecond() / 86_400;
    if (age.compareTo(dailyUntil) < 0) {
      return day;
    }
    return -1 - Math.floorDiv(day + 3, 7); // 1970-01-01 was a Thursday: day + 3 counts from a Monday
  }
}
