package io.cairn.webdav.http;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Response header names and values as Netty {@link AsciiString}s, made on the request's virtual
 * thread. Vert.x's HTTP encoder copies an AsciiString's bytes in one go but encodes a String char
 * by char on the event loop, which cost a 4 KiB GET's event loop more than its own request line
 * parsing (its dozen headers, 3% of the server's CPU in the profile); the names every response
 * carries are made once.
 *
 * <p>A char outside US-ASCII becomes {@code '?'}, as Netty's encoder writes it.
 */
final class AsciiHeaders {
  private static final Map<String, AsciiString> COMMON = common(
      "Server", "DAV", "MS-Author-Via", "Date", "Content-Type", "Content-Length", "ETag",
      "Last-Modified", "Accept-Ranges", "Content-Range", "Connection", "Allow", "Lock-Token",
      "Location", "OC-FileId", "OC-ETag", "Retry-After", "Vary",
      // values
      "Cairn", "1, 2", "bytes", "close", "text/plain; charset=utf-8",
      "application/xml; charset=utf-8", "application/octet-stream");

  private AsciiHeaders() {}

  /** {@code s} as an AsciiString: a shared one for the common names and values. */
  static AsciiString of(String s) {
    AsciiString common = COMMON.get(s);
    return common != null ? common : new AsciiString(s.getBytes(StandardCharsets.US_ASCII), false);
  }

  private static Map<String, AsciiString> common(String... strings) {
    return Arrays.stream(strings).collect(Collectors.toUnmodifiableMap(s -> s, AsciiString::cached));
  }
}
