package io.cairn.server.web;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.server.auth.Accounts;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Browser sessions. A session is an app token (256 random bits, stored only as its SHA-256, with
 * an expiry) named {@link #TOKEN_NAME}, kept where every app token is kept: a logout revokes it in
 * the shared user store, and every node's authenticator confirms tokens against that store at
 * least every second, so the revocation reaches every node. The browser holds the token in the
 * HttpOnly cookie {@link #COOKIE}; it authenticates as {@code Bearer <token>} through the same
 * authenticator as every other request.
 *
 * <p>CSRF: a cookie-authenticated request whose method changes something must carry the header
 * {@link #CSRF_HEADER} with the session's CSRF token, {@link #csrfOf}: a keyed hash of the session
 * token, which the page learns from {@code GET /.cairn/web/session} (another site can neither read
 * that answer nor set a custom header on a cross-site request).
 */
public final class WebSessions {
  /** The cookie's name. */
  public static final String COOKIE = "cairn_session";
  /** The header that carries the CSRF token (and marks a request as the web interface's own). */
  public static final String CSRF_HEADER = "X-Cairn-CSRF";
  /** The name of the app tokens that are browser sessions, as token listings show them. */
  public static final String TOKEN_NAME = "web session";
  /** How long a login lasts. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "PROPFIND");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Accounts accounts;
  private final Clock clock;
  private final boolean secure;

  /**
   * @param secure whether the server runs TLS: the cookie is then marked {@code Secure}
   */
  public WebSessions(Accounts accounts, Clock clock, boolean secure) {
    this.accounts = accounts;
    this.clock = clock;
    this.secure = secure;
  }

  /** Starts a session for {@code user}, who just proved their password; returns its token. */
  public String open(String user) {
    dropExpired(user);
    return accounts.createToken(user, TOKEN_NAME, LIFETIME).secret();
  }

  /** Ends the session of {@code token}, on every node; nothing when it is unknown or already ended. */
  public void close(String token) {
    if (!AppTokens.looksLikeToken(token)) {
      return;
    }
    AppToken t = Await.result(accounts.store().tokenByHash(AppTokens.hash(token)));
    if (t != null && t.name().equals(TOKEN_NAME)) {
      revoke(t);
    }
  }

  /** Each login leaves a token row: the user's expired sessions go when they log in again. */
  private void dropExpired(String user) {
    long now = clock.millis();
    for (AppToken t : accounts.listTokens(user)) {
      if (t.name().equals(TOKEN_NAME) && t.expiredAt(now)) {
        revoke(t);
      }
    }
  }

  private void revoke(AppToken t) {
    try {
      accounts.revokeToken(t.user(), t.id());
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.NOT_FOUND) {
        throw e; // NOT_FOUND: revoked meanwhile, by another logout or node
      }
    }
  }

  /** The {@code Set-Cookie} value that gives the browser {@code token}. */
  public String cookie(String token) {
    return COOKIE + "=" + token + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that makes the browser forget its session. */
  public String clearedCookie() {
    return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The session token of the request's cookie; null when it has none (or not of a token's shape). */
  public static String token(HttpServerRequest req) {
    for (String header : req.headers().getAll("Cookie")) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) {
          String value = p.substring(COOKIE.length() + 1);
          return AppTokens.looksLikeToken(value) ? value : null;
        }
      }
    }
    return null;
  }

  /** The CSRF token of the session {@code token}. */
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

  /** What a cookie-authenticated request that may change something is told without its CSRF header. */
  public static final String CSRF_REFUSAL =
      "a request authenticated by the session cookie must carry the " + CSRF_HEADER
          + " header of its session (GET /.cairn/web/session); log in again if the page is old";
}
