package io.cairn.server.http;

import io.cairn.storage.users.AppTokens;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * How the edge reads a browser's session from a request: the cookie {@link #COOKIE} holds an app
 * token (the web interface's {@code WebSessions} opens and ends sessions), and a request
 * that may change something must carry the header {@link #CSRF_HEADER} with {@link #csrfOf} that
 * token. Another site can neither read the CSRF token (it is answered to the page only, by {@code
 * GET /.cairn/web/session}) nor set a custom header on a cross-site request.
 */
public final class SessionCookie {
  /** The cookie's name. */
  public static final String COOKIE = "cairn_session";
  /** The header that carries the CSRF token (and marks a request as the web interface's own). */
  public static final String CSRF_HEADER = "X-Cairn-CSRF";
  /** What a cookie-authenticated request that may change something is told without its CSRF header. */
  public static final String CSRF_REFUSAL =
      "a request authenticated by the session cookie must carry the " + CSRF_HEADER
          + " header of its session (GET /.cairn/web/session); log in again if the page is old";

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "PROPFIND");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private SessionCookie() {}

  /** The session token of the request's cookie; null when it has none (or not of a token's shape). */
  public static String token(HttpServerRequest req) {
    // Not simply the first: another cookie of that name (a sibling site's junk) may come first.
    return cookie(req, COOKIE, AppTokens::looksLikeToken);
  }

  /** The value of the request's first cookie called {@code name}; null when it has none. */
  public static String cookie(HttpServerRequest req, String name) {
    return cookie(req, name, value -> true);
  }

  /** The first value of a cookie called {@code name} that is {@code wanted}; null when none is. */
  public static String cookie(HttpServerRequest req, String name, java.util.function.Predicate<String> wanted) {
    for (String header : req.headers().getAll("Cookie")) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=") && wanted.test(p.substring(name.length() + 1))) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  /** The CSRF token of the session {@code token}: a hash of it, which does not reveal it. */
  public static String csrfOf(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("cairn web csrf\n".getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the request comes from a page's script rather than a navigation or a WebDAV client: it
   * carries {@link #CSRF_HEADER}, asks for an event stream, or is a fetch the browser marks with
   * {@code Sec-Fetch-Mode} other than {@code navigate}. Such a request is refused without a Basic
   * challenge, which would put the browser's password dialog over the page.
   */
  public static boolean fromScript(HttpServerRequest req) {
    String mode = req.getHeader("Sec-Fetch-Mode");
    String accept = req.getHeader("Accept");
    return req.getHeader(CSRF_HEADER) != null
        || (accept != null && accept.contains("text/event-stream"))
        || (mode != null && !mode.equalsIgnoreCase("navigate"));
  }

  /** Whether {@code method} only reads, and so needs no CSRF header. */
  public static boolean safe(String method) {
    return SAFE.contains(method.toUpperCase(Locale.ROOT));
  }

  /** Whether the request carries the CSRF token of the session {@code token}. */
  public static boolean carriesCsrf(HttpServerRequest req, String token) {
    String sent = req.getHeader(CSRF_HEADER);
    return sent != null
        && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), csrfOf(token).getBytes(StandardCharsets.UTF_8));
  }
}
