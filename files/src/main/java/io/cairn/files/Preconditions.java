package io.cairn.files;

import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The conditional request headers of RFC 9110 §13 (If-Match, If-Unmodified-Since, If-None-Match,
 * If-Modified-Since), evaluated in the order of §13.2.2 against the target's current entry.
 *
 * <p>For a write, the outcome carries the {@link Expect} the commit must hold to, so that the
 * check and the change are atomic: when a condition was evaluated against an existing entry, the
 * commit expects exactly that entry's version; when against an absent one, it expects absence.
 */
public final class Preconditions {

  /** What the request may do. */
  public enum Outcome {
    PROCEED,
    /** 304, for GET and HEAD only. */
    NOT_MODIFIED,
    /** 412. */
    FAILED
  }

  /**
   * @param outcome what to do
   * @param expect for a write that proceeds: what its commit must expect
   */
  public record Result(Outcome outcome, Expect expect) {}

  private Preconditions() {}

  /**
   * Evaluates the request's conditional headers.
   *
   * @param headers looks up a request header by name, null when absent
   * @param current the target's entry, null when absent
   * @param safe true for GET and HEAD (304 instead of 412 for If-None-Match, and
   *     If-Modified-Since applies)
   */
  public static Result evaluate(Function<String, String> headers, Entry current, boolean safe) {
    boolean conditional = false;
    String etag = current == null ? null : ContentHash.etag(current.contentHash());
    String ifMatch = headers.apply("If-Match");
    if (ifMatch != null) {
      conditional = true;
      if (!matches(ifMatch, current, etag, true)) {
        return new Result(Outcome.FAILED, null);
      }
    } else {
      Instant since = date(headers.apply("If-Unmodified-Since"));
      if (since != null && current != null) {
        conditional = true;
        if (seconds(current.mtime()).isAfter(since)) {
          return new Result(Outcome.FAILED, null);
        }
      }
    }
    String ifNoneMatch = headers.apply("If-None-Match");
    if (ifNoneMatch != null) {
      conditional = true;
      if (matches(ifNoneMatch, current, etag, false)) {
        return new Result(safe ? Outcome.NOT_MODIFIED : Outcome.FAILED, null);
      }
    } else if (safe) {
      Instant since = date(headers.apply("If-Modified-Since"));
      if (since != null && current != null && !seconds(current.mtime()).isAfter(since)) {
        return new Result(Outcome.NOT_MODIFIED, null);
      }
    }
    Expect expect;
    if (!conditional) {
      expect = Expect.ANY;
    } else if (current == null) {
      expect = Expect.ABSENT;
    } else {
      expect = Expect.version(current.version());
    }
    return new Result(Outcome.PROCEED, expect);
  }

  /**
   * Whether an If-Range value (RFC 9110 §13.1.5) still holds: a strong ETag equal to the current
   * one, or a date equal to the last modification.
   */
  public static boolean ifRangeHolds(String ifRange, Entry current) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"")) {
      String etag = ContentHash.etag(current.contentHash());
      return etag != null && etag.equals(value);
    }
    if (value.startsWith("W/")) {
      return false;
    }
    Instant date = date(value);
    return date != null && date.equals(seconds(current.mtime()));
  }

  private static boolean matches(String header, Entry current, String etag, boolean strong) {
    if (header.trim().equals("*")) {
      return current != null;
    }
    if (etag == null) {
      return false;
    }
    for (String tag : tags(header)) {
      boolean weak = tag.startsWith("W/");
      String opaque = weak ? tag.substring(2) : tag;
      if ((!strong || !weak) && opaque.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** The entity-tags of a comma-separated list; commas inside quotes do not split. */
  static List<String> tags(String header) {
    List<String> tags = new ArrayList<>();
    StringBuilder tag = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        tag.append(c);
      } else if (c == ',' && !quoted) {
        add(tags, tag);
      } else if (quoted || !Character.isWhitespace(c)) {
        tag.append(c);
      }
    }
    add(tags, tag);
    return tags;
  }

  private static void add(List<String> tags, StringBuilder tag) {
    if (!tag.isEmpty()) {
      tags.add(tag.toString());
    }
    tag.setLength(0);
  }

  /** An HTTP date, or null when absent or invalid (an invalid date is ignored, §13.1.3). */
  static Instant date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** HTTP dates have whole seconds; comparisons truncate the entry's time to them. */
  private static Instant seconds(Instant t) {
    return t == null ? Instant.EPOCH : t.truncatedTo(ChronoUnit.SECONDS);
  }
}
