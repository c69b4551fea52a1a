package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.webdav.DavException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sync-collection report's position (RFC 6578 §3.2, §4): the collection it was issued for (its
 * path in the caller's view), the journal position of every namespace the collection covers (one
 * for a folder; the home and every share for a user's root), and, while an initial listing is
 * being paged out, where that listing stopped. Written as the opaque URI {@code
 * urn:cairn:sync:<base64url>}, so clients treat it as one (§3.2 calls the token a URI).
 *
 * <p>A token grants nothing: the handler checks it against the caller's current view, and any
 * token that does not fit is refused with 403 {@code DAV:valid-sync-token} ({@link #invalid}).
 *
 * @param collection the collection's path in the caller's view
 * @param jids per namespace, the last jid the client has been told about, in scope order
 * @param cursor where an unfinished initial listing resumes, or null when it is complete
 */
record SyncToken(String collection, Map<String, Long> jids, Cursor cursor) {
  static final String PREFIX = "urn:cairn:sync:";
  private static final String VERSION = "1";

  /** The last member an initial listing reported, in namespace {@code ns}. */
  record Cursor(String ns, String path) {}

  SyncToken {
    jids = Collections.unmodifiableMap(new LinkedHashMap<>(jids));
  }

  /** The token as the URI clients store and send back. */
  String uri() {
    StringBuilder b = new StringBuilder(VERSION).append('\n').append(enc(collection)).append('\n');
    jids.forEach((ns, jid) -> b.append("j\t").append(enc(ns)).append('\t').append(jid).append('\n'));
    if (cursor != null) {
      b.append("c\t").append(enc(cursor.ns())).append('\t').append(enc(cursor.path())).append('\n');
    }
    byte[] raw = b.toString().getBytes(StandardCharsets.UTF_8);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * Reads a token a client sent back.
   *
   * @throws DavException 403 {@code valid-sync-token} for anything this server did not write
   */
  static SyncToken parse(String uri) {
    if (!uri.startsWith(PREFIX)) {
      throw invalid("not a Cairn sync token");
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(uri.substring(PREFIX.length())), StandardCharsets.UTF_8);
      String[] lines = text.split("\n", -1);
      if (lines.length < 3 || !lines[0].equals(VERSION) || !lines[lines.length - 1].isEmpty()) {
        throw invalid("malformed sync token");
      }
      String collection = dec(lines[1]);
      Map<String, Long> jids = new LinkedHashMap<>();
      Cursor cursor = null;
      for (int i = 2; i < lines.length - 1; i++) {
        String[] f = lines[i].split("\t", -1);
        if (f.length == 3 && f[0].equals("j") && cursor == null) {
          long jid = Long.parseLong(f[2]);
          if (jid < 0 || jids.put(dec(f[1]), jid) != null) {
            throw invalid("malformed sync token");
          }
        } else if (f.length == 3 && f[0].equals("c") && cursor == null && TreePaths.isValid(dec(f[2]))) {
          cursor = new Cursor(dec(f[1]), dec(f[2]));
        } else {
          throw invalid("malformed sync token");
        }
      }
      if (jids.isEmpty() || !TreePaths.isValid(collection) || (cursor != null && !jids.containsKey(cursor.ns()))) {
        throw invalid("malformed sync token");
      }
      return new SyncToken(collection, jids, cursor);
    } catch (IllegalArgumentException e) {
      throw invalid("malformed sync token");
    }
  }

  /** The refusal of a token that does not fit the request (RFC 6578 §3.2): 403 with {@code DAV:valid-sync-token}. */
  static DavException invalid(String reason) {
    return new DavException(403, reason, "valid-sync-token");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
