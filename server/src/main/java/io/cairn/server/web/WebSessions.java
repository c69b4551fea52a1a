package io.cairn.server.web;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.server.auth.Accounts;
import io.cairn.server.http.ClientAddress;
import io.cairn.server.http.SessionCookie;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import java.time.Clock;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Locale;

/**
 * Browser sessions. A session is an app token (256 random bits, stored only as its SHA-256, with
 * an expiry) named {@link #TOKEN_NAME}, kept where every app token is kept: a logout revokes it in
 * the shared user store, and every node's authenticator confirms tokens against that store at
 * least every second, so the revocation reaches every node. The browser holds the token in the
 * HttpOnly cookie {@link SessionCookie#COOKIE}; the edge authenticates it as {@code Bearer <token>}
 * through the same authenticator as every other request, and asks for its CSRF header
 * ({@link SessionCookie}) on every method that may change something.
 */
public final class WebSessions {
  /** The name of the app tokens that are browser sessions, as token listings show them. */
  public static final String TOKEN_NAME = Accounts.SESSION_TOKEN_NAME;
  /** How long a login lasts. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private final Accounts accounts;
  private final Clock clock;
  private final boolean tls;
  private final ClientAddress proxies;

  /**
   * @param tls whether the server runs TLS: the cookie is then always marked {@code Secure}
   * @param proxies the trusted proxies (http.trusted.proxies): a login that one of them says came
   *     over HTTPS ({@code X-Forwarded-Proto} or {@code Forwarded: proto=https}) also gets a
   *     {@code Secure} cookie, for a server behind a TLS-terminating proxy
   */
  public WebSessions(Accounts accounts, Clock clock, boolean tls, ClientAddress proxies) {
    this.accounts = accounts;
    this.clock = clock;
    this.tls = tls;
    this.proxies = proxies;
  }

  /** Whether the browser reached this request over HTTPS, as far as the server can tell. */
  public boolean secure(HttpServerRequest req) {
    if (tls) {
      return true;
    }
    String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    if (!proxies.isTrustedProxy(peer)) {
      return false;
    }
    String proto = req.getHeader("X-Forwarded-Proto");
    String forwarded = req.getHeader("Forwarded");
    return (proto != null && proto.trim().equalsIgnoreCase("https"))
        || (forwarded != null && forwarded.toLowerCase(Locale.ROOT).replace(" ", "").contains("proto=https"));
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

  /** Whether {@code user} is an admin now: the page then shows its admin link (the API decides). */
  public boolean isAdmin(String user) {
    io.cairn.storage.users.User u = accounts.user(user);
    return u != null && u.admin();
  }

  /** The {@code Set-Cookie} value that gives the browser {@code token}; Secure when {@code https}. */
  public String cookie(String token, boolean https) {
    return SessionCookie.COOKIE + "=" + token + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that makes the browser forget its session. */
  public String clearedCookie(boolean https) {
    return SessionCookie.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
  }
}
