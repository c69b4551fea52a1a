package io.cairn.webdav.http;

import io.milton.http.Auth;
import java.util.Locale;

/**
 * One access-log line as {@code key=value} pairs (logfmt), in a fixed order: {@code method path
 * status bytes_in bytes_out duration_ms remote} and {@code user} when the request carried
 * credentials. Values with spaces, quotes, {@code =} or control characters are quoted with
 * backslash escapes, so a path a client chose cannot forge fields or lines.
 *
 * <p>{@code user} is the name from the request's credentials (milton's {@link Auth}); on a 401 it
 * is the name that was refused, as in Apache's {@code %u}.
 */
final class AccessLine {
  private AccessLine() {}

  static String format(String method, VertxMiltonRequest request, int status, long sent, long nanos) {
    StringBuilder b = new StringBuilder(128);
    b.append("method=").append(method);
    b.append(" path=");
    value(b, request.rawPath());
    b.append(" status=").append(status);
    b.append(" bytes_in=").append(request.bodyBytesRead());
    b.append(" bytes_out=").append(sent);
    b.append(" duration_ms=").append(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
    b.append(" remote=");
    value(b, request.getRemoteAddr());
    Auth auth = request.getAuthorization();
    if (auth != null && auth.getUser() != null) {
      b.append(" user=");
      value(b, auth.getUser());
    }
    return b.toString();
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
