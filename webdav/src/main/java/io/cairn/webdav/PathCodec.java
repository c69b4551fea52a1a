package io.cairn.webdav;

import io.cairn.core.TreePaths;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Turns the raw path of a request URI into a tree path and back.
 *
 * <p>Decoding is strict, so that nothing a client sends can reach storage as a path it did not
 * mean: each segment is percent-decoded on its own, then must be valid UTF-8 and must not contain
 * a slash ({@code %2F}) or a control character (C0 U+0000 to U+001F, DEL U+007F, C1 U+0080 to
 * U+009F: no desktop client can hold such a name), nor be {@code .} or {@code ..} (also encoded,
 * {@code %2e%2e}). Empty segments ({@code //}) are dropped and one trailing slash is allowed.
 * Violations are 400 and a path longer than {@link TreePaths#MAX_PATH} is 414, all before any
 * storage call.
 *
 * <p>Every segment is brought to Unicode normalization form C (NFC): macOS sends {@code café} as
 * {@code e} + U+0301 (NFD), Windows and Linux send U+00E9 (NFC), and both must name the one file.
 * Since this is the one place request paths (the request URI, the Destination header, If header
 * tags) are decoded, storage only ever receives NFC names from the WebDAV front; names stored
 * before that rule are renamed once at start ({@code io.cairn.storage.NfcNames}).
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
        if (hasControlCharacter(segment)) {
          throw DavException.badRequest("control character in a path segment");
        }
        segment = toNfc(segment);
        if (segment.equals(".") || segment.equals("..")) {
          throw DavException.badRequest("dot segments are not allowed in paths");
        }
        if (segment.indexOf('/') >= 0) {
          throw DavException.badRequest("encoded slash in a path segment");
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

  /** C0 controls and DEL (U+0000 to U+001F, U+007F) and C1 controls (U+0080 to U+009F). */
  static boolean isControlCharacter(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  /**
   * {@code segment} in NFC. Below U+0300 every character is its own NFC form and none combines
   * with what precedes it, so the common Latin-1 name skips the normalizer.
   */
  static String toNfc(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      if (segment.charAt(i) >= 0x300) {
        return Normalizer.normalize(segment, Normalizer.Form.NFC);
      }
    }
    return segment;
  }

  private static boolean hasControlCharacter(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      if (isControlCharacter(segment.charAt(i))) {
        return true;
      }
    }
    return false;
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
    if (unreserved(path)) {
      // The common case, nothing to encode: a PROPFIND writes the href of every child.
      return collection ? path + "/" : path;
    }
    StringBuilder out = new StringBuilder(path.length() + 16);
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (unreserved(c)) {
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

  /** Whether every character of {@code path} is unreserved or a slash: written as it is. */
  private static boolean unreserved(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (!unreserved(path.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '/';
  }
}
