package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.http.SessionCookie;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nextcloud's Login Flow v2 as the Nextcloud app runs it: start a flow, the person grants access in
 * a logged-in browser, the app polls once for an app password that works at the DAV URLs.
 */
class LoginFlowTest {
  private static final String AGENT = "Mozilla/5.0 (Linux) mirall/3.7.3 (Nextcloud, debian)";
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("nina", "nina-password", false);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> poll(String token) throws Exception {
    return s.send(null, "POST", "/index.php/login/v2/poll", ("token=" + token).getBytes(),
        "Content-Type", "application/x-www-form-urlencoded");
  }

  /** A started flow: the poll token and the login URL's path. */
  record Flow(String poll, String loginPath) {}

  static Flow startFlow() throws Exception {
    HttpResponse<byte[]> r = s.send(null, "POST", "/index.php/login/v2", null, "User-Agent", AGENT);
    assertEquals(200, r.statusCode(), text(r));
    JsonObject o = new JsonObject(text(r));
    String endpoint = o.getJsonObject("poll").getString("endpoint");
    assertEquals(s.url("/index.php/login/v2/poll"), endpoint, "the poll endpoint is this server's, as the app reached it");
    String login = o.getString("login");
    assertTrue(login.startsWith(s.url("/index.php/login/v2/flow/")), login);
    return new Flow(o.getJsonObject("poll").getString("token"), URI.create(login).getPath());
  }

  /** A browser session of {@code name}: its cookie and CSRF token. */
  static String[] session(String name, String password) throws Exception {
    HttpResponse<byte[]> r = s.send(null, "POST", "/.cairn/web/login",
        new JsonObject().put("name", name).put("password", password).encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json", SessionCookie.CSRF_HEADER, "login");
    assertEquals(200, r.statusCode(), text(r));
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new String[] {set.substring(0, set.indexOf(';')), new JsonObject(text(r)).getString("csrf")};
  }

  @Test
  void theAppGetsAnAppPasswordOnceThePersonGrantsAccess() throws Exception {
    Flow flow = startFlow();
    assertEquals(404, poll(flow.poll()).statusCode(), "not granted yet");
    HttpResponse<byte[]> page = s.send(null, "GET", flow.loginPath(), null, "Accept", "text/html");
    assertEquals(200, page.statusCode());
    assertTrue(text(page).contains("/.cairn/web/grant.js"));
    assertEquals(io.cairn.server.web.WebAssets.POLICY, page.headers().firstValue("Content-Security-Policy").orElse(null));

    String[] nina = session("nina", "nina-password");
    HttpResponse<byte[]> info = s.send(null, "GET", flow.loginPath() + "/grant", null, "Cookie", nina[0]);
    assertEquals(AGENT, new JsonObject(text(info)).getString("agent"), "the page shows which app asks");
    assertEquals(403, s.send(null, "POST", flow.loginPath() + "/grant", null, "Cookie", nina[0]).statusCode(),
        "a grant needs the session's CSRF header: no other site can grant for her");
    assertEquals(200, s.send(null, "POST", flow.loginPath() + "/grant", null, "Cookie", nina[0],
        SessionCookie.CSRF_HEADER, nina[1]).statusCode());
    assertEquals(404, s.send(null, "POST", flow.loginPath() + "/grant", null, "Cookie", nina[0],
        SessionCookie.CSRF_HEADER, nina[1]).statusCode(), "a login link grants once");

    HttpResponse<byte[]> answer = poll(flow.poll());
    assertEquals(200, answer.statusCode(), text(answer));
    JsonObject credentials = new JsonObject(text(answer));
    assertEquals("nina", credentials.getString("loginName"));
    assertEquals(s.url(""), credentials.getString("server"));
    String appPassword = credentials.getString("appPassword");
    assertEquals(207, s.send(TestServer.basic("nina", appPassword), "PROPFIND", "/remote.php/dav/files/nina/", null,
        "Depth", "0").statusCode(), "the app password works at the app's DAV URL");
    assertEquals(404, poll(flow.poll()).statusCode(), "the answer is given once");
    assertTrue(s.server.accounts().listTokens("nina").stream().anyMatch(t -> t.name().equals("Nextcloud app: " + AGENT)),
        "the app password is an app token named after the app, revocable as any");
  }

  @Test
  void unknownTokensAndStrangersGetNothing() throws Exception {
    Flow flow = startFlow();
    assertEquals(404, poll("not-" + flow.poll()).statusCode());
    assertEquals(400, s.send(null, "POST", "/index.php/login/v2/poll", "nothing".getBytes()).statusCode());
    assertEquals(401, s.send(null, "POST", flow.loginPath() + "/grant", null).statusCode(), "granting needs a login");
    HttpResponse<byte[]> noChallenge = s.send(null, "GET", flow.loginPath() + "/grant", null, SessionCookie.CSRF_HEADER, "x");
    assertFalse(noChallenge.headers().firstValue("WWW-Authenticate").isPresent(), "the page's script gets no password dialog");
    String[] nina = session("nina", "nina-password");
    assertEquals(404, s.send(null, "POST", "/index.php/login/v2/flow/" + "A".repeat(43) + "/grant", null, "Cookie", nina[0],
        SessionCookie.CSRF_HEADER, nina[1]).statusCode(), "an unknown login link");
    assertEquals(404, poll(flow.poll()).statusCode(), "still pending: nothing was granted");
  }
}
