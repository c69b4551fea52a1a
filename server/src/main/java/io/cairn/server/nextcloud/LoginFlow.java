package io.cairn.server.nextcloud;

import static io.cairn.server.http.JsonRoutes.op;

import io.cairn.files.Await;
import io.cairn.server.auth.Accounts;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.server.web.WebAssets;
import io.cairn.server.web.WebSessions;
import io.cairn.storage.users.AppTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Nextcloud's Login Flow v2, with which the Nextcloud desktop and mobile apps add an account
 * (docs/clients.md): the app asks for a flow ({@code POST /index.php/login/v2}), opens its login
 * URL in the browser, where the person logs in to Cairn's web interface and grants access, and
 * polls until it receives an app password ({@code POST /index.php/login/v2/poll}), which is a
 * Cairn app token named after the app. A flow lives {@link #LIFETIME}; its two tokens (one in the
 * browser's URL, one the app polls with) are random 256-bit values kept only as SHA-256 hashes in
 * a map every node of a cluster shares (Vert.x shared data), and the answer is given once.
 */
public final class LoginFlow {
  /** Where the routes live: {@code v2}, {@code v2/poll}, {@code v2/flow/TOKEN} below it. */
  public static final String PREFIX = "/index.php/login/";
  /** How long a flow may take from start to poll. */
  static final Duration LIFETIME = Duration.ofMinutes(20);
  /** How long the app password lasts; revocable at any time, as every app token. */
  static final Duration APP_PASSWORD_LIFETIME = Duration.ofDays(365);

  private final Vertx vertx;
  private final Accounts accounts;
  private final WebSessions sessions;
  private final WebAssets assets;

  private LoginFlow(Vertx vertx, Accounts accounts, WebSessions sessions, WebAssets assets) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.sessions = sessions;
    this.assets = assets;
  }

  /** The routes, for the edge. */
  public static JsonRoutes routes(Vertx vertx, Accounts accounts, WebSessions sessions, WebAssets assets) {
    LoginFlow flow = new LoginFlow(vertx, accounts, sessions, assets);
    return new JsonRoutes(vertx, PREFIX)
        .path("v2", op(HttpMethod.POST, 4096, flow::start).withoutAuthentication())
        .path("v2/poll", op(HttpMethod.POST, 4096, flow::poll).withoutAuthentication())
        .path("v2/flow/:token", op(HttpMethod.GET, flow::page).withoutAuthentication())
        .path("v2/flow/:token/grant", op(HttpMethod.GET, flow::info), op(HttpMethod.POST, flow::grant));
  }

  private AsyncMap<String, JsonObject> map() {
    return Await.result(vertx.sharedData().<String, JsonObject>getAsyncMap("cairn.login-flows"));
  }

  /** {@code POST /index.php/login/v2}: a new flow, {@code {"poll": {"token", "endpoint"}, "login"}}. */
  private Answer start(JsonRoutes.Call call) {
    String poll = AppTokens.random(32);
    String browser = AppTokens.random(32);
    String agent = String.valueOf(call.request().getHeader("User-Agent"));
    long ttl = LIFETIME.toMillis();
    Await.result(map().put("poll:" + AppTokens.hash(poll), new JsonObject(), ttl));
    Await.result(map().put("flow:" + AppTokens.hash(browser),
        new JsonObject().put("poll", AppTokens.hash(poll)).put("agent", agent.length() > 200 ? agent.substring(0, 200) : agent), ttl));
    String server = serverUrl(call);
    return Answer.ok(new JsonObject()
        .put("poll", new JsonObject().put("token", poll).put("endpoint", server + PREFIX + "v2/poll"))
        .put("login", server + PREFIX + "v2/flow/" + browser));
  }

  /** {@code POST poll} with {@code token=...}: 404 until granted, then the credentials, once. */
  private Answer poll(JsonRoutes.Call call) {
    String token = formValue(call.body().toString(StandardCharsets.UTF_8), "token");
    if (token == null || token.isEmpty()) {
      throw new Refusal(400, "bad_request", "a poll carries token=THE_POLL_TOKEN");
    }
    String key = "poll:" + AppTokens.hash(token);
    JsonObject state = Await.result(map().get(key));
    if (state == null || !state.containsKey("appPassword")) {
      throw new Refusal(404, "not_found", state == null ? "no such login flow (it expired, or was answered)" : "not granted yet");
    }
    if (!Boolean.TRUE.equals(Await.result(map().removeIfPresent(key, state)))) {
      throw new Refusal(404, "not_found", "no such login flow (it was answered)");
    }
    return Answer.ok(new JsonObject().put("server", serverUrl(call)).put("loginName", state.getString("loginName"))
        .put("appPassword", state.getString("appPassword")));
  }

  /** {@code GET flow/TOKEN}: the page where a person grants access; it logs in first if needed. */
  private Answer page(JsonRoutes.Call call) {
    assets.send(call.response(), "grant.html");
    return null;
  }

  /** {@code GET flow/TOKEN/grant}: which app asks, for the page to show. */
  private Answer info(JsonRoutes.Call call) {
    JsonObject flow = flow(call);
    return Answer.ok(new JsonObject().put("agent", flow.getString("agent")).put("user", call.user()));
  }

  /** {@code POST flow/TOKEN/grant}: the signed-in person grants the app an app password. */
  private Answer grant(JsonRoutes.Call call) {
    JsonObject flow = flow(call);
    String flowKey = "flow:" + AppTokens.hash(call.param("token"));
    if (!Boolean.TRUE.equals(Await.result(map().removeIfPresent(flowKey, flow)))) {
      throw new Refusal(404, "not_found", "this login link was used already");
    }
    String agent = flow.getString("agent");
    String name = ("Nextcloud app: " + agent).substring(0, Math.min(100, 15 + agent.length()));
    Accounts.IssuedToken t = accounts.createToken(call.user(), name, APP_PASSWORD_LIFETIME);
    Await.result(map().put("poll:" + flow.getString("poll"),
        new JsonObject().put("loginName", call.user()).put("appPassword", t.secret()), LIFETIME.toMillis()));
    return Answer.ok(new JsonObject().put("granted", true).put("token", t.token().id()));
  }

  private JsonObject flow(JsonRoutes.Call call) {
    String token = call.param("token");
    JsonObject flow = token == null ? null : Await.result(map().get("flow:" + AppTokens.hash(token)));
    if (flow == null) {
      throw new Refusal(404, "not_found", "this login link expired or was used; start again in the app");
    }
    WebAssets.secure(call.response());
    return flow;
  }

  /** The server's URL as the app reached it: scheme (HTTPS also behind a trusted TLS proxy) and Host. */
  private String serverUrl(JsonRoutes.Call call) {
    String host = call.request().getHeader("Host");
    return (sessions.secure(call.request()) ? "https" : "http") + "://" + (host == null ? "localhost" : host);
  }

  private static String formValue(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
