package io.cairn.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request head (request line and header fields, RFC 9112 §2–§6) checked strictly before Netty's
 * lenient decoder sees it, so that Cairn and every proxy in front of it agree on where one request
 * ends and the next begins. What is refused, and why:
 *
 * <ul>
 *   <li>a request line that is not exactly {@code method SP request-target SP HTTP-version}
 *       (a tab is not a separator, §3): 400; a version other than HTTP/1.0 or HTTP/1.1: 505;
 *       a request line longer than the limit: 414; a head longer than the limit: 431;
 *   <li>a field line with whitespace before its colon (§5.1), a folded line (§5.2), a control
 *       character in a value: 400;
 *   <li>HTTP/1.1 without exactly one {@code Host}, or HTTP/1.0 with two (§3.2): 400;
 *   <li>{@code Transfer-Encoding} other than exactly {@code chunked}: an unknown coding is 501, a
 *       repeated {@code chunked} 400, any transfer coding on HTTP/1.0 400 (§6.1); {@code
 *       Content-Length} other than one header with one number: 400 (§6.3).
 * </ul>
 *
 * A request with both {@code Transfer-Encoding: chunked} and {@code Content-Length} (curl sends
 * both for {@code -T - -H 'Content-Length: N'}) is read as chunked, and its connection must close
 * after the answer (RFC 9112 §6.3): {@link #mustClose()}.
 *
 * Thread-safe: a pure function of its input.
 *
 * @param method the request method, a token
 * @param target the request-target as sent
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param contentLength the body length when framed by Content-Length, else -1
 * @param chunked whether the body is chunked
 * @param expectsContinue whether the client waits for {@code 100 Continue} before it sends the body
 * @param mustClose whether the connection must close after this request's answer
 */
public record RequestHead(
    String method,
    String target,
    String version,
    long contentLength,
    boolean chunked,
    boolean expectsContinue,
    boolean mustClose) {

  /** Why a head is refused: the status to answer (the connection is closed after it). */
  public static final class Refusal extends RuntimeException {
    private final int status;

    public Refusal(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Whether a body follows the head. */
  public boolean hasBody() {
    return chunked || contentLength > 0;
  }

  /**
   * Parses {@code head[0, length)}: the request line and the field lines, each ending in CRLF,
   * then the empty line's CRLF. Fails with {@link Refusal} for anything the class comment lists.
   *
   * @param maxLine the longest request line accepted, bytes (without its CRLF)
   */
  public static RequestHead parse(byte[] head, int length, int maxLine) {
    int lineEnd = lineEnd(head, 0, length);
    if (lineEnd > maxLine) {
      throw new Refusal(414, "request line longer than " + maxLine + " bytes");
    }
    int sp1 = indexOf(head, (byte) ' ', 0, lineEnd);
    int sp2 = sp1 < 0 ? -1 : indexOf(head, (byte) ' ', sp1 + 1, lineEnd);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 == lineEnd - 1) {
      throw new Refusal(400, "malformed request line");
    }
    for (int i = 0; i < sp1; i++) {
      if (!isTokenChar(head[i])) {
        throw new Refusal(400, "malformed request method");
      }
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      if (head[i] <= 0x20 || head[i] >= 0x7f) {
        throw new Refusal(400, "request-target must be visible ASCII (percent-encode the rest)");
      }
    }
    String version = ascii(head, sp2 + 1, lineEnd);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      if (version.matches("HTTP/[0-9]\\.[0-9]")) {
        throw new Refusal(505, "only HTTP/1.1 and HTTP/1.0 are supported");
      }
      throw new Refusal(400, "malformed HTTP version");
    }
    Fields fields = new Fields();
    int pos = lineEnd + 2;
    while (true) {
      int end = lineEnd(head, pos, length);
      if (end == pos) {
        if (end + 2 != length) {
          throw new Refusal(400, "bytes after the end of the head");
        }
        break;
      }
      fields.add(head, pos, end);
      pos = end + 2;
    }
    return fields.head(ascii(head, 0, sp1), ascii(head, sp1 + 1, sp2), version);
  }

  /** The header fields that decide framing, collected while the lines are checked. */
  private static final class Fields {
    private int hosts;
    private String contentLength;
    private final StringBuilder transferEncoding = new StringBuilder();
    private boolean sawTransferEncoding;
    private boolean expectsContinue;

    void add(byte[] b, int start, int end) {
      if (b[start] == ' ' || b[start] == '\t') {
        throw new Refusal(400, "folded header lines are not accepted");
      }
      int colon = indexOf(b, (byte) ':', start, end);
      if (colon <= start) {
        throw new Refusal(400, "malformed header line");
      }
      for (int i = start; i < colon; i++) {
        if (!isTokenChar(b[i])) {
          throw new Refusal(400, "malformed header name");
        }
      }
      for (int i = colon + 1; i < end; i++) {
        int c = b[i] & 0xff;
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new Refusal(400, "control character in a header value");
        }
      }
      String name = framingField(b, start, colon);
      if (name == null) {
        return;
      }
      String value = new String(b, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).strip();
      switch (name) {
        case "host" -> hosts++;
        case "expect" -> expectsContinue = value.equalsIgnoreCase("100-continue");
        case "content-length" -> contentLength(value);
        case "transfer-encoding" -> {
          sawTransferEncoding = true;
          transferEncoding.append(',').append(value);
        }
        default -> { }
      }
    }

    /** The lower-case name of a field that decides framing, or null for any other (no allocation). */
    private static String framingField(byte[] b, int start, int end) {
      for (String known : FRAMING_FIELDS) {
        if (end - start == known.length() && regionEqualsIgnoreCase(b, start, known)) {
          return known;
        }
      }
      return null;
    }

    private void contentLength(String value) {
      // One number, once: Netty behind the gate refuses lists and repeats, so the gate does too.
      if (contentLength != null) {
        throw new Refusal(400, "more than one Content-Length");
      }
      if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new Refusal(400, "malformed Content-Length");
      }
      try {
        Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new Refusal(400, "Content-Length out of range");
      }
      contentLength = value;
    }

    RequestHead head(String method, String target, String version) {
      boolean http11 = version.equals("HTTP/1.1");
      if (http11 ? hosts != 1 : hosts > 1) {
        throw new Refusal(400, http11 ? "exactly one Host header is needed in HTTP/1.1" : "more than one Host header");
      }
      if (!sawTransferEncoding) {
        return new RequestHead(method, target, version, contentLength == null ? -1 : Long.parseLong(contentLength), false, expectsContinue, false);
      }
      if (!http11) {
        throw new Refusal(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      int chunked = 0;
      for (String coding : transferEncoding.toString().split(",")) {
        String c = coding.strip().toLowerCase(Locale.ROOT);
        if (c.isEmpty()) {
          continue;
        }
        if (!c.equals("chunked")) {
          throw new Refusal(501, "transfer coding not supported: " + printable(c));
        }
        chunked++;
      }
      if (chunked != 1) {
        throw new Refusal(400, "Transfer-Encoding must name chunked exactly once");
      }
      return new RequestHead(method, target, version, -1, true, expectsContinue, contentLength != null);
    }
  }

  private static final String[] FRAMING_FIELDS = {"host", "expect", "content-length", "transfer-encoding"};

  private static boolean regionEqualsIgnoreCase(byte[] b, int start, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      int c = b[start + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The index of the CR of the CRLF that ends the line starting at {@code from}. */
  private static int lineEnd(byte[] b, int from, int length) {
    for (int i = from; i < length; i++) {
      if (b[i] == '\r') {
        if (i + 1 < length && b[i + 1] == '\n') {
          return i;
        }
        throw new Refusal(400, "bare CR in the request head");
      }
      if (b[i] == '\n') {
        throw new Refusal(400, "bare LF in the request head");
      }
      if (b[i] == 0) {
        throw new Refusal(400, "NUL in the request head");
      }
    }
    throw new Refusal(400, "unterminated request head");
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** RFC 9110 §5.6.2 tchar. */
  static boolean isTokenChar(byte c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return c > 0 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return cut.replaceAll("[^\\x21-\\x7e]", "?");
  }
}
