package io.cairn.webdav;

import io.cairn.storage.TreePaths;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw path of a request URI into a tree path and back.
 *
 * <p>Decoding is strict, so that nothing a client sends can reach storage as a path it did not
 * mean: each segment is percent-decoded on its own, then must be valid UTF-8 and must not contain
 * a slash ({@code %2F}), a NUL, or be {@code .} or {@code ..} (also encoded, {@code %2e%2e}). Empty
 * segments ({@code //}) are dropped and one trailing slash is allowed. Violations are 400 and a
 * path longer than {@link TreePaths#MAX_PATH} is 414, all before any storage call.
 */
public final class PathCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathCodec() {}

  /**
   * The tree path named by {@code rawPath}, the path component of a request URI as it came over
   * the wire (no query). A raw {@code #} is refused: a request-target carries no fragment (RFC
   * 9112 §3.2), and ignoring one would let {@code DELETE /dir/#frag} delete {@code /dir}.
   *
   * @throws DavException 400 for a malformed or forbidden path, 414 for an over-long one
   */
  public static String decode(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw DavException.badRequest("the request path must start with /");
    }
    if (rawPath.indexOf('#') >= 0) {
      throw DavException.badRequest("a request path cannot hold a fragment (#)");
    }
    if (rawPath.length() > 3 * TreePaths.MAX_PATH) {
      throw new DavException(414, "path too long");
    }
    StringBuilder out = new StringBuilder(rawPath.length());
    int start = 1;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      if (end > start) {
        String segment = decodeSegment(rawPath, start, end);
        if (segment.equals(".") || segment.equals("..")) {
          throw DavException.badRequest("dot segments are not allowed in paths");
        }
        if (segment.indexOf('/') >= 0 || segment.indexOf('\0') >= 0) {
          throw DavException.badRequest("encoded slash or NUL in a path segment");
        }
        if (segment.length() > TreePaths.MAX_SEGMENT) {
          throw DavException.badRequest("path segment longer than " + TreePaths.MAX_SEGMENT);
        }
        out.append('/').append(segment);
        if (out.length() > TreePaths.MAX_PATH) {
          throw new DavException(414, "path too long");
        }
      }
      start = end + 1;
    }
    String path = out.isEmpty() ? TreePaths.ROOT : out.toString();
    if (!TreePaths.isValid(path)) {
      throw DavException.badRequest("not a valid path");
    }
    return path;
  }

  private static String decodeSegment(String raw, int start, int end) {
    boolean plain = true;
    for (int i = start; i < end && plain; i++) {
      char c = raw.charAt(i);
      plain = c != '%' && c < 0x80;
    }
    if (plain) {
      return raw.substring(start, end);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= end) {
          throw DavException.badRequest("truncated percent-encoding in path");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw DavException.badRequest("invalid percent-encoding in path");
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else if (c < 0x100) {
        // Netty hands over the request line's bytes as ISO-8859-1 characters: raw UTF-8 bytes
        // sent unencoded arrive one per char and are decoded as UTF-8 below.
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = utf8.decode(ByteBuffer.wrap(bytes.toByteArray()));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw DavException.badRequest("path is not valid UTF-8");
    }
  }

  /**
   * The absolute URL path of {@code path}: every segment UTF-8 and percent-encoded except for
   * unreserved characters (RFC 3986 §2.3), with a trailing slash for a collection.
   */
  public static String encode(String path, boolean collection) {
    if (path.equals(TreePaths.ROOT)) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length() + 16);
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    if (collection) {
      out.append('/');
    }
    return out.toString();
  }
}
