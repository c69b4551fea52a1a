package io.cairn.webdav.props;

import java.time.Instant;
import java.util.function.Function;

/**
 * A date format of whole seconds that remembers the last second it wrote: a folder's entries often
 * share one (files copied or uploaded together), and a PROPFIND writes a date or two for each of
 * thousands of them. Safe across threads: the remembered second and its text are replaced as one
 * immutable pair.
 */
final class SecondFormat {
  private record Stamp(long second, String text) {}

  private final Function<Instant, String> format;
  private volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

  /** {@code format} must depend on the second only, and take null for the epoch. */
  SecondFormat(Function<Instant, String> format) {
    this.format = format;
  }

  /** {@code t} (null: the epoch) as the format writes its second. */
  String format(Instant t) {
    long second = t == null ? 0 : t.getEpochSecond();
    Stamp s = last;
    if (s.second() != second) {
      s = new Stamp(second, format.apply(Instant.ofEpochSecond(second)));
      last = s;
    }
    return s.text();
  }
}
