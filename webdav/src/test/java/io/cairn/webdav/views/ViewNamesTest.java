package io.cairn.webdav.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewNamesTest {
  private static final Instant AT = Instant.parse("2026-12-03T12:13:02.417Z");

  @Test
  void versionsAreNamedByUtcTimeAndJidWithTheExtensionLast() {
    assertEquals("2026-12-03 121302,417 v17.txt", ViewNames.version("report.txt", 17, AT));
    assertEquals("2026-12-03 121302,417 v17", ViewNames.version("Makefile", 17, AT));
    assertEquals("2026-12-03 121302,417 v17", ViewNames.version(".profile", 17, AT));
    assertEquals(17, ViewNames.versionJid("2026-12-03 121302,417 v17.txt"));
    assertEquals(-1, ViewNames.versionJid("report.txt"));
  }

  @Test
  void deletedEntriesKeepTheirNameAndAFileItsExtension() {
    assertEquals("report (deleted 2026-12-03 121302,417 v42).txt", ViewNames.deleted("report.txt", false, 42, AT));
    assertEquals("photos.2025 (deleted 2026-12-03 121302,417 v42)", ViewNames.deleted("photos.2025", true, 42, AT));
    assertEquals(42, ViewNames.deletedJid("report (deleted 2026-12-03 121302,417 v42).txt"));
    assertEquals(-1, ViewNames.deletedJid("report.txt"));
  }

  @Test
  void namesSortByTimeEvenWithinOneSecond() {
    List<String> names = new ArrayList<>();
    for (int jid = 8; jid <= 12; jid++) {
      names.add(ViewNames.version("a.txt", jid, AT.plusMillis(jid)));
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(names, sorted);
    assertTrue(names.getFirst().compareTo(ViewNames.version("a.txt", 7, AT.minusSeconds(1))) > 0);
  }
}
