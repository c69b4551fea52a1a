package io.cairn.server.web;

import static io.cairn.server.http.JsonRoutes.op;

import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.SessionCookie;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.storage.users.AppTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The web interface's own routes under {@link #PREFIX}: its static files and login page (served
 * to anyone: they hold no data), {@code POST login}, {@code POST logout} and {@code GET session}.
 * Everything else the page does goes through the documented sync API and WebDAV.
 *
 * <ul>
 *   <li>{@code POST login} {@code {"name", "password"}}: checked by the same authenticator as Basic
 *       (local and LDAP users, the same failure throttle: 401, 429 with Retry-After, 503), never
 *       with an app token; sets the session cookie and answers {@code {"user", "csrf"}}. It must
 *       carry {@link SessionCookie#CSRF_HEADER} (any value), which no other site's form can send,
 *       so no site can log a browser into an account of its choosing.
 *   <li>{@code POST logout}: revokes the cookie's session (with its CSRF header) and clears the cookie.
 *   <li>{@code GET session}: who is logged in, the session's CSRF token and whether they are an
 *       admin (the page shows its admin link then), {@code {"user", "csrf", "admin"}}.
 * </ul>
 */
public final class WebFront {
  public static final String PREFIX = "/.cairn/web/";
  /** Where a browser that is not logged in is sent. */
  public static final String LOGIN_PAGE = PREFIX + "login";

  private final WebSessions sessions;
  private final RequestAuthenticator authenticator;
  private final WebAssets assets;

  private WebFront(WebSessions sessions, RequestAuthenticator authenticator, WebAssets assets) {
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.assets = assets;
  }

  /** The routes, for the edge. */
  public static JsonRoutes routes(Vertx vertx, WebSessions sessions, RequestAuthenticator authenticator, WebAssets assets) {
    WebFront web = new WebFront(sessions, authenticator, assets);
    JsonRoutes routes = new JsonRoutes(vertx, PREFIX)
        .path("login", op(HttpMethod.GET, call -> web.file(call, "login.html")).withoutAuthentication(),
            op(HttpMethod.POST, 4096, web::login).withoutAuthentication())
        .path("logout", op(HttpMethod.POST, web::logout).withoutAuthentication())
        .path("session", op(HttpMethod.GET, web::session));
    for (String name : WebAssets.TYPES.keySet()) {
      if (!name.endsWith(".html")) {
        routes.path(name, op(HttpMethod.GET, call -> web.file(call, name)).withoutAuthentication());
      }
    }
    return routes;
  }

  private Answer file(JsonRoutes.Call call, String name) {
    assets.send(call.response(), name);
    return null;
  }

  private Answer login(JsonRoutes.Call call) {
    WebAssets.secure(call.response());
    call.response().putHeader("Cache-Control", "no-store");
    if (call.request().getHeader(SessionCookie.CSRF_HEADER) == null) {
      throw new Refusal(403, "forbidden", "a login must carry the " + SessionCookie.CSRF_HEADER + " header (any value); the login page sends it");
    }
    JsonObject body = call.json();
    Object name = body.getValue("name");
    Object password = body.getValue("password");
    if (!(name instanceof String n) || !(password instanceof String p) || n.isEmpty()) {
      throw new Refusal(400, "bad_request", "a login is {\"name\": TEXT, \"password\": TEXT}");
    }
    if (n.indexOf(':') >= 0 || AppTokens.looksLikeToken(p)) {
      // No user name holds a ':'; an app token is for programs, not for starting sessions.
      throw new Refusal(401, "unauthorized", "wrong name or password");
    }
    String basic = Base64.getEncoder().encodeToString((n + ":" + p).getBytes(StandardCharsets.UTF_8));
    RequestAuthenticator.Verdict v = authenticator.authenticate("Basic " + basic, call.remote());
    if (!v.allowed()) {
      v.withoutChallenge().headers().forEach(call.response()::putHeader);
      String message = v.status() == 401 ? "wrong name or password" : v.reason();
      throw new Refusal(v.status(), v.status() == 429 ? "too_many_requests" : v.status() == 401 ? "unauthorized" : "transient", message);
    }
    String previous = SessionCookie.token(call.request());
    if (previous != null) {
      sessions.close(previous); // a new login replaces the browser's session, never adds one
    }
    String token = sessions.open(v.user().name());
    call.response().putHeader("Set-Cookie", sessions.cookie(token, sessions.secure(call.request())));
    return Answer.ok(new JsonObject().put("user", v.user().name()).put("csrf", SessionCookie.csrfOf(token)));
  }

  private Answer logout(JsonRoutes.Call call) {
    WebAssets.secure(call.response());
    String token = SessionCookie.token(call.request());
    if (token != null) {
      if (!SessionCookie.carriesCsrf(call.request(), token)) {
        throw new Refusal(403, "forbidden", SessionCookie.CSRF_REFUSAL);
      }
      sessions.close(token);
    }
    call.response().putHeader("Set-Cookie", sessions.clearedCookie(sessions.secure(call.request())));
    return Answer.ok(new JsonObject());
  }

  private Answer session(JsonRoutes.Call call) {
    WebAssets.secure(call.response());
    call.response().putHeader("Cache-Control", "no-store");
    String token = SessionCookie.token(call.request());
    String csrf = token == null || call.request().getHeader("Authorization") != null ? null : SessionCookie.csrfOf(token);
    return Answer.ok(new JsonObject().put("user", call.user()).put("csrf", csrf).put("admin", sessions.isAdmin(call.user())));
  }
}
