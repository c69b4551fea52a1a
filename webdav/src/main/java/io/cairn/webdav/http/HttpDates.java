package io.cairn.webdav.http;

import io.cairn.webdav.props.LiveProperties;
import java.time.Instant;

/**
 * The {@code Date} header of every response (RFC 9110 §6.6.1), formatted once per second rather
 * than once per response.
 */
final class HttpDates {
  private record Stamp(long second, String text) {}

  private static volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

  private HttpDates() {}

  /** Now, as an IMF-fixdate. */
  static String now() {
    long second = System.currentTimeMillis() / 1000;
    Stamp s = last;
    if (s.second() != second) {
      s = new Stamp(second, LiveProperties.httpDate(Instant.ofEpochSecond(second)));
      last = s;
    }
    return s.text();
  }
}
