package io.cairn.webdav;

import io.cairn.files.Preconditions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.Expect;
import io.cairn.files.Preconditions.Outcome;
import io.cairn.webdav.props.LiveProperties;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
  private static final Instant MTIME = Instant.parse("2024-05-01T10:00:00.700Z");
  private static final Entry FILE =
      new Entry("/f", EntryKind.FILE, 3, MTIME, "abc", Blocklist.EMPTY, 7, MTIME);
  private static final String ETAG = "\"abc\"";

  private static Preconditions.Result eval(Entry e, boolean safe, String... headers) {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return Preconditions.evaluate(h::get, e, safe);
  }

  @Test
  void noConditionsProceedWithoutExpectation() {
    assertEquals(new Preconditions.Result(Outcome.PROCEED, Expect.ANY), eval(FILE, false));
  }

  @Test
  void ifMatchComparesStrongly() {
    assertEquals(Expect.version(7), eval(FILE, false, "If-Match", ETAG).expect());
    assertEquals(Outcome.PROCEED, eval(FILE, false, "If-Match", "\"x\", " + ETAG).outcome());
    assertEquals(Outcome.FAILED, eval(FILE, false, "If-Match", "W/" + ETAG).outcome());
    assertEquals(Outcome.FAILED, eval(FILE, false, "If-Match", "\"other\"").outcome());
    assertEquals(Outcome.FAILED, eval(null, false, "If-Match", "*").outcome());
    assertEquals(Outcome.PROCEED, eval(FILE, false, "If-Match", "*").outcome());
  }

  @Test
  void ifNoneMatchIsWeakAndAnswers304ForReads() {
    assertEquals(Outcome.NOT_MODIFIED, eval(FILE, true, "If-None-Match", "W/" + ETAG).outcome());
    assertEquals(Outcome.FAILED, eval(FILE, false, "If-None-Match", ETAG).outcome());
    assertEquals(Outcome.FAILED, eval(FILE, false, "If-None-Match", "*").outcome());
    Preconditions.Result create = eval(null, false, "If-None-Match", "*");
    assertEquals(new Preconditions.Result(Outcome.PROCEED, Expect.ABSENT), create);
  }

  @Test
  void datesCompareInWholeSeconds() {
    String same = LiveProperties.httpDate(MTIME);
    String before = LiveProperties.httpDate(MTIME.minusSeconds(1));
    assertEquals(Outcome.NOT_MODIFIED, eval(FILE, true, "If-Modified-Since", same).outcome());
    assertEquals(Outcome.PROCEED, eval(FILE, true, "If-Modified-Since", before).outcome());
    assertEquals(Outcome.PROCEED, eval(FILE, false, "If-Modified-Since", same).outcome());
    assertEquals(Outcome.PROCEED, eval(FILE, false, "If-Unmodified-Since", same).outcome());
    assertEquals(Outcome.FAILED, eval(FILE, false, "If-Unmodified-Since", before).outcome());
    assertEquals(Outcome.PROCEED, eval(FILE, true, "If-Modified-Since", "not a date").outcome());
  }

  @Test
  void ifMatchTakesPrecedenceOverIfUnmodifiedSince() {
    String before = LiveProperties.httpDate(MTIME.minusSeconds(1));
    assertEquals(
        Outcome.PROCEED,
        eval(FILE, false, "If-Match", ETAG, "If-Unmodified-Since", before).outcome());
  }

  @Test
  void ifRangeNeedsTheSameStrongEtagOrDate() {
    assertTrue(Preconditions.ifRangeHolds(null, FILE));
    assertTrue(Preconditions.ifRangeHolds(ETAG, FILE));
    assertFalse(Preconditions.ifRangeHolds("\"x\"", FILE));
    assertFalse(Preconditions.ifRangeHolds("W/" + ETAG, FILE));
    assertTrue(Preconditions.ifRangeHolds(LiveProperties.httpDate(MTIME), FILE));
    assertFalse(Preconditions.ifRangeHolds(LiveProperties.httpDate(MTIME.plusSeconds(5)), FILE));
  }

  @Test
  void splitsTagListsOutsideQuotes() {
    assertEquals(java.util.List.of("\"a,b\"", "W/\"c\""), Preconditions.tags(" \"a,b\" , W/\"c\""));
  }
}
