package io.cairn.webdav.props;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written date formatters agree with the JDK's: IMF-fixdate (names included) and RFC 3339
 * as creationdate writes it.
 */
class HttpDateTest {
  /** IMF-fixdate, RFC 9110 §5.6.7. */
  private static final DateTimeFormatter JDK =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  @Test
  void agreesWithTheJdkFormatter() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      // 1000-01-01 to 9999-12-31, with sub-second parts that must be cut off.
      long second = -30_610_224_000L + (long) (random.nextDouble() * 284_012_524_800L);
      Instant t = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
      assertEquals(JDK.format(t.truncatedTo(ChronoUnit.SECONDS)), LiveProperties.httpDate(t), t.toString());
    }
  }

  @Test
  void isoDatesAgreeWithTheJdkFormatterInsideAndOutsideTheHandWrittenYears() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      // Years 0 to 12000: the hand-written path covers 1000-9999, the JDK's the rest.
      long second = -62_167_219_200L + (long) (random.nextDouble() * 440_000_000_000L);
      Instant t = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
      assertEquals(DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)),
          LiveProperties.isoDate(t), t.toString());
    }
    assertEquals("1994-11-06T08:49:37Z", LiveProperties.isoDate(Instant.parse("1994-11-06T08:49:37.250Z")));
    assertEquals("1970-01-01T00:00:00Z", LiveProperties.isoDate(null));
  }

  @Test
  void singleDigitDaysArePadded() {
    // IMF-fixdate has two-digit days; DateTimeFormatter.RFC_1123_DATE_TIME writes one.
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", LiveProperties.httpDate(Instant.parse("1994-11-06T08:49:37Z")));
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", LiveProperties.httpDate(null));
  }
}
