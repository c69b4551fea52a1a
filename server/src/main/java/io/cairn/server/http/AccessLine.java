package io.cairn.server.http;

import java.util.Locale;

/**
 * One access-log line as {@code key=value} pairs (logfmt), in a fixed order: {@code method path
 * status bytes_in bytes_out duration_ms remote} and {@code user} when the request carried
 * credentials. Values with spaces, quotes, {@code =} or control characters are quoted with
 * backslash escapes, so a path a client chose cannot forge fields or lines.
 *
 * <p>{@code remote} is the client's address: the peer, or the client a trusted proxy names ({@link
 * ClientAddress}). {@code user} is the authenticated user; absent when the request was anonymous or refused.
 */
public final class AccessLine {
  private AccessLine() {}

  /**
   * The line of one request of any front door: {@code path} raw as received, {@code remote} as
   * {@link ClientAddress} resolved it, {@code user} null when anonymous or refused.
   */
  public static String format(
      String method, String path, String remote, String user, int status, long received, long sent, long nanos) {
    StringBuilder b = new StringBuilder(128);
    b.append("method=").append(method);
    b.append(" path=");
    value(b, path);
    b.append(" status=").append(status);
    b.append(" bytes_in=").append(received);
    b.append(" bytes_out=").append(sent);
    b.append(" duration_ms=");
    millis(b, nanos);
    b.append(" remote=");
    value(b, remote);
    if (user != null) {
      b.append(" user=");
      value(b, user);
    }
    return b.toString();
  }

  /** Appends {@code nanos} as milliseconds with three decimals, as "%.3f" would (half up). */
  static void millis(StringBuilder b, long nanos) {
    long micros = nanos < 0 ? 0 : (nanos + 500) / 1000;
    b.append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      b.append('0');
    }
    if (frac < 10) {
      b.append('0');
    }
    b.append(frac);
  }

  static void value(StringBuilder b, String v) {
    if (v == null || v.isEmpty()) {
      b.append('-');
      return;
    }
    boolean plain = true;
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
    }
    if (plain) {
      b.append(v);
      return;
    }
    b.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
