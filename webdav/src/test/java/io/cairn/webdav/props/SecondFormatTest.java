package io.cairn.webdav.props;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The remembered second never answers for another one. */
class SecondFormatTest {
  @Test
  void eachInstantGetsItsOwnSecondWhateverWasWrittenBefore() {
    SecondFormat f = new SecondFormat(LiveProperties::httpDate);
    Instant t = Instant.parse("1994-11-06T08:49:37.250Z");
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", f.format(t));
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", f.format(t.plusMillis(700)), "the same second");
    assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", f.format(t.plusMillis(750)), "the next second");
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", f.format(t), "back again");
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", f.format(null), "null is the epoch");
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", f.format(Instant.EPOCH));
    SecondFormat iso = new SecondFormat(LiveProperties::isoDate);
    assertEquals("+12000-01-01T00:00:00Z", iso.format(Instant.parse("+12000-01-01T00:00:00.5Z")),
        "outside the hand-written years");
  }
}
