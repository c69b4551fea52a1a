package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Access-log values a client chooses cannot forge fields or lines. */
class AccessLineTest {
  private static String value(String v) {
    StringBuilder b = new StringBuilder();
    AccessLine.value(b, v);
    return b.toString();
  }

  @Test
  void plainValuesStayBareOthersAreQuotedAndEscaped() {
    assertEquals("/docs/a%20b.txt", value("/docs/a%20b.txt"));
    assertEquals("-", value(null));
    assertEquals("-", value(""));
    assertEquals("\"/a b\"", value("/a b"));
    assertEquals("\"/x status=200\"", value("/x status=200"));
    assertEquals("\"a\\\"b\\\\c\"", value("a\"b\\c"));
    assertEquals("\"l1\\nmethod=GET\"", value("l1\nmethod=GET"));
    assertEquals("\"\\u0001\"", value("\u0001"));
  }

  @Test
  void durationsReadAsMillisecondsWithThreeDecimals() {
    long[] nanos = {0, 499, 500, 1_500, 42_000, 999_499, 999_500, 1_234_567, 12_345_678_901L, 300_000_000_000L};
    for (long n : nanos) {
      StringBuilder b = new StringBuilder();
      AccessLine.millis(b, n);
      assertEquals(String.format(Locale.ROOT, "%.3f", n / 1e6), b.toString(), "nanos " + n);
    }
  }

  @Test
  void statusClassesAndUnknownMethods() {
    assertEquals("2xx", RequestMeters.statusClass(207));
    assertEquals("4xx", RequestMeters.statusClass(423));
    assertEquals("other", RequestMeters.statusClass(999));
    assertEquals("PROPFIND", RequestMeters.method("PROPFIND"));
    assertEquals("OTHER", RequestMeters.method("BREW"));
  }
}
