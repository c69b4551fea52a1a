package io.cairn.server.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;

/**
 * One log event as one line of JSON: {@code {"timestamp":"2026-12-04T16:30:00.123Z","level":"INFO",
 * "logger":"io.cairn.server.CairnServer","thread":"main","message":"...","exception":"..."}}, the
 * shape log shippers (Vector, Fluent Bit, Loki's promtail) read without a parser of their own.
 */
public final class JsonLine {
  private JsonLine() {}

  /**
   * Appends the event's line, with its newline, to {@code b}.
   *
   * @param thread the thread's name, or null to leave the field out
   * @param exception the stack trace as text, or null to leave the field out
   */
  public static StringBuilder append(
      StringBuilder b, long epochMillis, String level, String logger, String thread, String message, String exception) {
    b.append("{\"timestamp\":\"").append(Instant.ofEpochMilli(epochMillis)).append("\",\"level\":\"").append(level);
    b.append("\",\"logger\":");
    string(b, logger);
    if (thread != null) {
      b.append(",\"thread\":");
      string(b, thread);
    }
    b.append(",\"message\":");
    string(b, message);
    if (exception != null) {
      b.append(",\"exception\":");
      string(b, exception);
    }
    return b.append("}\n");
  }

  /** {@code s} as a JSON string, quotes included; control characters escaped (Jackson's encoder). */
  static void string(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    b.append('"');
  }
}
