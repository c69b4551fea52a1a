package io.cairn.server.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.retention.RetentionPolicy.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  /** A Wednesday noon, UTC: 2026-12-02T12:00Z. */
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
  private final RetentionPolicy policy = RetentionPolicy.defaults();

  private Version ago(long jid, Duration age) {
    return new Version(jid, clock.instant().minus(age), false);
  }

  @Test
  void everyVersionYoungerThanKeepAllIsKeptHowEverMany() {
    List<Version> versions = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      versions.add(ago(i + 1, Duration.ofMinutes(i * 60L)));
    }
    assertEquals(Set.of(), policy.expired(versions, clock.instant()));
  }

  @Test
  void pastKeepAllOnlyTheNewestOfEachCalendarDayStays() {
    // Day 40 ago: three versions at 08:00, 10:00 and 11:00 of that day (UTC).
    Instant day = clock.instant().minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    List<Version> versions = List.of(
        new Version(1, day.plus(Duration.ofHours(8)), false),
        new Version(2, day.plus(Duration.ofHours(10)), false),
        new Version(3, day.plus(Duration.ofHours(11)), false),
        new Version(4, day.plus(Duration.ofHours(25)), false), // the next day: alone in it
        ago(5, Duration.ofDays(29).plusHours(23))); // within keepAll
    assertEquals(Set.of(1L, 2L), policy.expired(versions, clock.instant()));
  }

  @Test
  void theBoundaryOfKeepAllIsExact() {
    Version justInside = ago(2, Duration.ofDays(30).minusSeconds(1));
    Version justOutSameDayAsNewer = ago(1, Duration.ofDays(30).plusSeconds(1));
    // Both are on the same UTC day (noon minus 30 days ± 1 s): the older one has passed keepAll
    // but its day's newest version (the younger) does not claim the bucket while inside keepAll.
    assertEquals(Set.of(), policy.expired(List.of(justInside, justOutSameDayAsNewer), clock.instant()));
    Version alsoOut = ago(3, Duration.ofDays(30).plusSeconds(2));
    assertEquals(Set.of(3L), policy.expired(List.of(justInside, justOutSameDayAsNewer, alsoOut), clock.instant()));
  }

  @Test
  void pastDailyUntilOnlyTheNewestOfEachMondayWeekStays() {
    // 2026-08-03 is a Monday, 2026-08-09 the Sunday of that week, 2026-08-10 the next Monday;
    // all are more than 90 days before now.
    List<Version> versions = List.of(
        new Version(1, Instant.parse("2026-08-03T09:00:00Z"), false),
        new Version(2, Instant.parse("2026-08-06T09:00:00Z"), false),
        new Version(3, Instant.parse("2026-08-09T23:00:00Z"), false),
        new Version(4, Instant.parse("2026-08-10T01:00:00Z"), false));
    assertEquals(Set.of(1L, 2L), policy.expired(versions, clock.instant()));
  }

  @Test
  void maxAgeExpiresEverythingOlderButTheLiveVersion() {
    RetentionPolicy oneYear = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(365), 0,
        Duration.ofDays(30));
    List<Version> versions = List.of(
        new Version(1, clock.instant().minus(Duration.ofDays(800)), true), // live, however old
        ago(2, Duration.ofDays(380)), // a week apart from the next: neither thinned

        ago(3, Duration.ofDays(364)));
    assertEquals(Set.of(2L), oneYear.expired(versions, clock.instant()));
    assertEquals(Set.of(), policy.expired(versions, clock.instant()), "no maximum age by default: thinned, kept");
  }

  @Test
  void maxVersionsKeepsTheNewestCountingTheLiveOne() {
    RetentionPolicy three = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 3,
        Duration.ofDays(30));
    List<Version> versions = List.of(
        ago(1, Duration.ofHours(5)), ago(2, Duration.ofHours(4)), ago(3, Duration.ofHours(3)),
        ago(4, Duration.ofHours(2)), new Version(5, clock.instant().minus(Duration.ofHours(1)), true));
    assertEquals(Set.of(1L, 2L), three.expired(versions, clock.instant()));
    RetentionPolicy one = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 1,
        Duration.ofDays(30));
    assertEquals(Set.of(1L, 2L, 3L, 4L), one.expired(versions, clock.instant()));
  }

  @Test
  void aPinnedVersionNeverExpiresAndClaimsItsDay() {
    Instant day = clock.instant().minus(Duration.ofDays(50)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    List<Version> versions = List.of(
        new Version(1, day.plus(Duration.ofHours(3)), false),
        new Version(2, day.plus(Duration.ofHours(4)), true));
    assertEquals(Set.of(1L), policy.expired(versions, clock.instant()));
    RetentionPolicy none = new RetentionPolicy(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO);
    assertEquals(Set.of(1L), none.expired(versions, clock.instant()), "the pinned one stays under any policy");
  }

  @Test
  void trashExpiresAfterTrashForExactly() {
    assertFalse(policy.trashExpired(clock.instant().minus(Duration.ofDays(30)).plusSeconds(1), clock.instant()));
    assertTrue(policy.trashExpired(clock.instant().minus(Duration.ofDays(30)), clock.instant()));
  }

  @Test
  void aNamespacesSettingsReplaceTheServersAndAreChecked() {
    RetentionPolicy own = policy.with(java.util.Map.of("retention.max.versions", 3L, "retention.trash.days", 7L));
    assertEquals(new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 3, Duration.ofDays(7)), own);
    assertEquals(policy, policy.with(java.util.Map.of()));
    assertEquals(3L, own.asSettings().get("retention.max.versions"));
    for (java.util.Map<String, Long> bad : List.of(java.util.Map.of("retention.colour", 1L),
        java.util.Map.of("retention.keep.all.days", -1L), java.util.Map.of("retention.max.age.days", 10L))) {
      io.cairn.core.CairnException e = org.junit.jupiter.api.Assertions.assertThrows(io.cairn.core.CairnException.class,
          () -> policy.with(bad), bad.toString());
      assertEquals(io.cairn.core.CairnException.Kind.INVALID, e.kind(), bad.toString());
    }
  }
}
