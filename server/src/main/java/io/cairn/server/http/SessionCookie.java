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
    String value = cookie(req, COOKIE);
    return AppTokens.looksLikeToken(value) ? value : null;
  }

  /** The value of the request's first cookie called {@code name}; null when it has none. */
  public static String cookie(HttpServerRequest req, String name) {
    for (String header : req.headers().getAll("Cookie")) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
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
