package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.http.SessionCookie;
import io.cairn.server.web.WebSessions;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web interface's rules: login by form sets an HttpOnly, SameSite=Strict session cookie kept
 * as a hashed app token; a cookie request that may change something needs its CSRF header; logout
 * revokes the session; only a browser's GET of a folder gets the page, and WebDAV clients never do.
 */
class WebInterfaceTest {
  private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("wendy", "wendy-password", false);
    s.server.accounts().addUser("victor", "victor-password", false);
    s.server.accounts().addUser("tom", "tom-password", false);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  /** A logged-in browser: its cookie header and CSRF token. */
  record Browser(String cookie, String token, String csrf) {}

  static HttpResponse<byte[]> login(String name, String password) throws Exception {
    byte[] body = new JsonObject().put("name", name).put("password", password).encode().getBytes(StandardCharsets.UTF_8);
    return s.send(null, "POST", "/.cairn/web/login", body, "Content-Type", "application/json", SessionCookie.CSRF_HEADER, "login");
  }

  static Browser loggedIn(String name, String password) throws Exception {
    HttpResponse<byte[]> r = login(name, password);
    assertEquals(200, r.statusCode(), text(r));
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    String token = set.substring(SessionCookie.COOKIE.length() + 1, set.indexOf(';'));
    return new Browser(SessionCookie.COOKIE + "=" + token, token, new JsonObject(text(r)).getString("csrf"));
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void aLoginSetsAnHttpOnlyStrictCookieWhoseTokenIsStoredOnlyHashed() throws Exception {
    HttpResponse<byte[]> r = login("wendy", "wendy-password");
    assertEquals(200, r.statusCode());
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(set.startsWith("cairn_session=cairn_"), set);
    assertTrue(set.contains("; HttpOnly") && set.contains("; SameSite=Strict") && set.contains("; Max-Age=43200"), set);
    assertFalse(set.contains("Secure"), "plain HTTP: a Secure cookie would never be sent back");
    String token = set.substring("cairn_session=".length(), set.indexOf(';'));
    assertTrue(token.length() >= 40, "256 random bits");
    List<AppToken> stored = s.server.accounts().listTokens("wendy").stream().filter(t -> t.name().equals(WebSessions.TOKEN_NAME)).toList();
    assertTrue(stored.stream().anyMatch(t -> t.tokenHash().equals(AppTokens.hash(token))));
    assertTrue(stored.stream().noneMatch(t -> t.tokenHash().contains(token) || t.id().equals(token)));
    JsonObject body = new JsonObject(text(r));
    assertEquals("wendy", body.getString("user"));
    assertEquals(SessionCookie.csrfOf(token), body.getString("csrf"));
    // The cookie alone authenticates reads, on the API and on WebDAV.
    String cookie = "cairn_session=" + token;
    assertEquals(207, s.send(null, "PROPFIND", "/", null, "Depth", "0", "Cookie", cookie).statusCode());
    HttpResponse<byte[]> session = s.send(null, "GET", "/.cairn/web/session", null, "Cookie", cookie);
    assertEquals("wendy", new JsonObject(text(session)).getString("user"));
    assertEquals(SessionCookie.csrfOf(token), new JsonObject(text(session)).getString("csrf"));
  }

  @Test
  void aWrongPasswordIsRefusedWithoutAChallengeAndThrottledLikeBasic() throws Exception {
    HttpResponse<byte[]> wrong = login("tom", "guess");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.headers().firstValue("WWW-Authenticate").isEmpty(), "no browser dialog for a form login");
    assertNull(wrong.headers().firstValue("Set-Cookie").orElse(null));
    assertEquals("unauthorized", new JsonObject(text(wrong)).getString("error"));
    int status = 401;
    for (int i = 0; i < 12 && status == 401; i++) {
      status = login("tom", "guess-" + i).statusCode();
    }
    assertEquals(429, status, "the form's failures count in the same throttle as Basic's");
    HttpResponse<byte[]> locked = login("tom", "tom-password");
    assertEquals(429, locked.statusCode(), "locked out: not even the right password is checked");
    assertTrue(locked.headers().firstValue("Retry-After").isPresent());
    assertEquals(429, s.send(TestServer.basic("tom", "tom-password"), "PROPFIND", "/", null, "Depth", "0").statusCode(),
        "one throttle for the form and Basic");
  }

  @Test
  void aLoginNeedsTheCustomHeaderAndAPasswordNotAnAppToken() throws Exception {
    byte[] body = new JsonObject().put("name", "victor").put("password", "victor-password").encode().getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> plain = s.send(null, "POST", "/.cairn/web/login", body, "Content-Type", "application/json");
    assertEquals(403, plain.statusCode(), "a cross-site form cannot send the header: no login CSRF");
    assertTrue(plain.headers().firstValue("Set-Cookie").isEmpty());
    String appToken = s.server.accounts().createToken("victor", "laptop", Duration.ofHours(1)).secret();
    assertEquals(401, login("victor", appToken).statusCode());
    assertEquals(400, s.send(null, "POST", "/.cairn/web/login", "{\"name\": 1}".getBytes(), SessionCookie.CSRF_HEADER, "x").statusCode());
  }

  @Test
  void aCookieRequestThatMayChangeSomethingNeedsTheSessionsCsrfHeader() throws Exception {
    Browser b = loggedIn("victor", "victor-password");
    HttpResponse<byte[]> put = s.send(null, "PUT", "/csrf.txt", "x".getBytes(), "Cookie", b.cookie());
    assertEquals(403, put.statusCode());
    assertTrue(text(put).contains(SessionCookie.CSRF_HEADER), text(put));
    assertEquals(403, s.send(null, "PUT", "/csrf.txt", "x".getBytes(), "Cookie", b.cookie(), SessionCookie.CSRF_HEADER, "guess").statusCode());
    assertEquals(404, s.send(TestServer.basic("victor", "victor-password"), "GET", "/csrf.txt", null).statusCode(), "nothing written");
    HttpResponse<byte[]> mkdir = s.send(null, "POST", "/.cairn/api/v1/mkdir", "{\"path\": \"/d\"}".getBytes(), "Cookie", b.cookie());
    assertEquals(403, mkdir.statusCode());
    assertEquals("forbidden", new JsonObject(text(mkdir)).getString("error"));
    assertEquals(403, s.send(null, "DELETE", "/", null, "Cookie", b.cookie()).statusCode());
    // With the header it works, and reads never need it.
    assertEquals(201, s.send(null, "PUT", "/csrf.txt", "x".getBytes(), "Cookie", b.cookie(), SessionCookie.CSRF_HEADER, b.csrf()).statusCode());
    assertEquals(200, s.send(null, "POST", "/.cairn/api/v1/mkdir", "{\"path\": \"/d\"}".getBytes(),
        "Cookie", b.cookie(), SessionCookie.CSRF_HEADER, b.csrf()).statusCode());
    HttpResponse<byte[]> get = s.send(null, "GET", "/csrf.txt", null, "Cookie", b.cookie());
    assertEquals("x", text(get));
    assertTrue(get.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"),
        "a user's file opened in the browser cannot run as a page holding the session");
    // Basic and Bearer need no CSRF header: WebDAV clients and the sync API are unchanged.
    assertEquals(204, s.send(TestServer.basic("victor", "victor-password"), "PUT", "/csrf.txt", "y".getBytes()).statusCode());
  }

  @Test
  void logoutRevokesTheSessionInTheStore() throws Exception {
    Browser b = loggedIn("wendy", "wendy-password");
    assertEquals(403, s.send(null, "POST", "/.cairn/web/logout", null, "Cookie", b.cookie()).statusCode(), "no logout CSRF");
    HttpResponse<byte[]> out = s.send(null, "POST", "/.cairn/web/logout", null, "Cookie", b.cookie(), SessionCookie.CSRF_HEADER, b.csrf());
    assertEquals(200, out.statusCode());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    assertTrue(s.server.accounts().listTokens("wendy").stream().noneMatch(t -> t.tokenHash().equals(AppTokens.hash(b.token()))),
        "gone from the store every node reads");
    HttpResponse<byte[]> after = s.send(null, "GET", "/.cairn/web/session", null, "Cookie", b.cookie());
    assertEquals(401, after.statusCode());
    assertTrue(after.headers().firstValue("WWW-Authenticate").isEmpty(), "a browser's 401 opens no Basic dialog");
    assertEquals(401, s.send(null, "PROPFIND", "/", null, "Depth", "0", "Cookie", b.cookie()).statusCode());
  }

  @Test
  void anExpiredSessionSendsTheBrowserToLoginAndGoesAtTheNextLogin() throws Exception {
    String token = s.server.accounts().createToken("wendy", WebSessions.TOKEN_NAME, Duration.ofMillis(1)).secret();
    Thread.sleep(20);
    String cookie = SessionCookie.COOKIE + "=" + token;
    HttpResponse<byte[]> page = s.send(null, "GET", "/", null, "Cookie", cookie, "Accept", HTML);
    assertEquals(303, page.statusCode());
    assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/.cairn/web/login?next="));
    HttpResponse<byte[]> api = s.send(null, "GET", "/.cairn/api/v1/list?path=/", null, "Cookie", cookie);
    assertEquals(401, api.statusCode());
    assertTrue(api.headers().firstValue("WWW-Authenticate").isEmpty());
    loggedIn("wendy", "wendy-password");
    assertTrue(s.server.accounts().listTokens("wendy").stream().noneMatch(t -> t.tokenHash().equals(AppTokens.hash(token))),
        "expired sessions do not pile up");
  }

  @Test
  void onlyABrowsersGetOfAFolderGetsThePage() throws Exception {
    Browser b = loggedIn("victor", "victor-password");
    String basic = TestServer.basic("victor", "victor-password");
    assertEquals(201, s.send(basic, "MKCOL", "/pages", null).statusCode());
    assertEquals(201, s.send(basic, "PUT", "/pages/a%20b.txt", "bytes".getBytes()).statusCode());
    for (String folder : new String[] {"/", "/pages", "/pages/"}) {
      HttpResponse<byte[]> page = s.send(null, "GET", folder, null, "Cookie", b.cookie(), "Accept", HTML);
      assertEquals(200, page.statusCode(), folder);
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), folder);
      assertEquals(io.cairn.server.web.WebAssets.POLICY, page.headers().firstValue("Content-Security-Policy").orElse(null));
      assertTrue(text(page).contains("/.cairn/web/app.js"));
    }
    // A file is its bytes, also for a browser.
    assertEquals("bytes", text(s.send(null, "GET", "/pages/a%20b.txt", null, "Cookie", b.cookie(), "Accept", HTML)));
    // WebDAV clients: a PROPFIND, or a GET without Accept text/html, never gets the page (a GET of
    // a folder keeps WebDAV's own plain listing, no script in it).
    for (String[] h : List.of(new String[] {"Accept", "*/*"}, new String[] {"User-Agent", "davfs2/1.7.0 neon/0.33.0"},
        new String[] {"User-Agent", "rclone/v1.60.1"})) {
      for (String auth : new String[] {basic, null}) {
        HttpResponse<byte[]> get = auth == null
            ? s.send(null, "GET", "/pages/", null, "Cookie", b.cookie(), h[0], h[1])
            : s.send(auth, "GET", "/pages/", null, h);
        assertEquals(200, get.statusCode());
        assertFalse(text(get).contains("<script"), h[1]);
        assertFalse(io.cairn.server.web.WebAssets.POLICY.equals(get.headers().firstValue("Content-Security-Policy").orElse(null)));
      }
    }
    HttpResponse<byte[]> propfind = s.send(null, "PROPFIND", "/pages", null, "Depth", "1", "Cookie", b.cookie(), "Accept", HTML);
    assertEquals(207, propfind.statusCode());
    assertFalse(text(propfind).contains("app.js"));
  }

  @Test
  void aBrowserNotLoggedInIsSentToTheLoginPageWebDavClientsAreChallenged() throws Exception {
    HttpResponse<byte[]> browser = s.send(null, "GET", "/some%20folder/", null, "Accept", HTML);
    assertEquals(303, browser.statusCode());
    assertEquals("/.cairn/web/login?next=%2Fsome%2520folder%2F", browser.headers().firstValue("Location").orElse(null));
    assertTrue(browser.headers().firstValue("WWW-Authenticate").isEmpty());
    HttpResponse<byte[]> client = s.send(null, "GET", "/", null, "Accept", "*/*");
    assertEquals(401, client.statusCode());
    assertTrue(client.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    assertEquals(401, s.send(null, "PROPFIND", "/", null, "Accept", HTML).statusCode());
  }

  @Test
  void theStaticFilesCarryTheStrictPolicyAndNoInlineScript() throws Exception {
    Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)|\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    for (String name : new String[] {"login", "app.js", "login.js", "app.css", "icon.svg"}) {
      HttpResponse<byte[]> r = s.send(null, "GET", "/.cairn/web/" + name, null);
      assertEquals(200, r.statusCode(), name);
      assertEquals(io.cairn.server.web.WebAssets.POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null), name);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    }
    assertFalse(inlineScript.matcher(text(s.send(null, "GET", "/.cairn/web/login", null))).find());
    Browser b = loggedIn("victor", "victor-password");
    assertFalse(inlineScript.matcher(text(s.send(null, "GET", "/", null, "Cookie", b.cookie(), "Accept", HTML))).find());
    for (String script : new String[] {"app.js", "page.js", "upload.js", "chunks.js", "admin.js", "shares.js", "settings.js",
        "link.js", "drop.js"}) {
      String js = text(s.send(null, "GET", "/.cairn/web/" + script, null));
      assertTrue(js.contains("'use strict'"), script);
      assertFalse(js.contains("innerHTML") || js.contains("insertAdjacentHTML"), script + ": names reach the page as text only");
    }
    assertEquals(401, s.send(null, "GET", "/.cairn/web/session", null).statusCode());
    assertEquals(401, s.send(null, "GET", "/.cairn/web/nothing.js", null).statusCode(), "only the listed files are public");
    assertEquals(404, s.send(null, "GET", "/.cairn/web/nothing.js", null, "Cookie", b.cookie()).statusCode());
  }

  @Test
  void aStoredHtmlFileIsSandboxedWhateverCredentialsTheBrowserSends() throws Exception {
    // A browser caches Basic credentials after a dialog (at /remote.php/webdav/, say) and sends
    // them by itself: a file planted in a shared folder must not run as its reader then either.
    String basic = TestServer.basic("tom", "tom-password");
    assertEquals(201, s.send(basic, "PUT", "/evil.html", "<script>fetch('/x',{method:'PUT'})</script>".getBytes()).statusCode());
    Browser b = loggedIn("tom", "tom-password");
    for (String url : new String[] {"/evil.html", "/remote.php/webdav/evil.html", "/remote.php/dav/files/tom/evil.html",
        "/.cairn/api/v1/content?path=%2Fevil.html"}) {
      for (String[] credentials : List.of(new String[] {"Authorization", basic}, new String[] {"Cookie", b.cookie()})) {
        HttpResponse<byte[]> r = s.send(null, "GET", url, null, credentials[0], credentials[1], "Accept", HTML);
        assertEquals(200, r.statusCode(), url);
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"), url + " " + credentials[0]);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), url);
      }
    }
  }

  @Test
  void aPagesScriptIsRefusedWithoutAChallengeThatWouldOpenThePasswordDialog() throws Exception {
    // The page's event stream and fetches after a logout: 401, but no Basic dialog over the page.
    for (String[] h : List.of(new String[] {"Accept", "text/event-stream"}, new String[] {"Sec-Fetch-Mode", "cors"})) {
      HttpResponse<byte[]> r = s.send(null, "GET", "/.cairn/api/v1/events", null, h);
      assertEquals(401, r.statusCode(), h[1]);
      assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), h[1]);
    }
    // A navigation, or a WebDAV client, is still challenged.
    HttpResponse<byte[]> nav = s.send(null, "GET", "/remote.php/webdav/", null, "Sec-Fetch-Mode", "navigate");
    assertEquals(401, nav.statusCode());
    assertTrue(nav.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
  }

  @Test
  void aFoldersGetVariesByAccept() throws Exception {
    Browser b = loggedIn("tom", "tom-password");
    assertEquals("Accept", s.send(null, "GET", "/", null, "Cookie", b.cookie(), "Accept", HTML)
        .headers().firstValue("Vary").orElse(null));
    assertEquals("Accept", s.send(TestServer.basic("tom", "tom-password"), "GET", "/", null)
        .headers().firstValue("Vary").orElse(null));
  }

  @Test
  void behindATrustedTlsProxyTheCookieIsSecure(@TempDir Path other) throws Exception {
    byte[] body = new JsonObject().put("name", "admin").put("password", TestServer.ADMIN_PASSWORD).encode().getBytes(StandardCharsets.UTF_8);
    try (TestServer proxied = TestServer.start(other.resolve("data"), Map.of("http.trusted.proxies", "127.0.0.1"),
        java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build())) {
      for (String[] h : List.of(new String[] {"X-Forwarded-Proto", "https"}, new String[] {"Forwarded", "for=10.0.0.9;proto=https"})) {
        HttpResponse<byte[]> r = proxied.send(null, "POST", "/.cairn/web/login", body, "Content-Type", "application/json",
            SessionCookie.CSRF_HEADER, "login", h[0], h[1]);
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(r.headers().firstValue("Set-Cookie").orElse("").endsWith("; Secure"), h[0]);
      }
      HttpResponse<byte[]> plain = proxied.send(null, "POST", "/.cairn/web/login", body, "Content-Type", "application/json",
          SessionCookie.CSRF_HEADER, "login");
      assertFalse(plain.headers().firstValue("Set-Cookie").orElse("").contains("Secure"), "a plain HTTP login stays usable");
    }
    // Where the peer is no trusted proxy, the header is anyone's to send: ignored.
    HttpResponse<byte[]> untrusted = s.send(null, "POST", "/.cairn/web/login", body, "Content-Type", "application/json",
        SessionCookie.CSRF_HEADER, "login", "X-Forwarded-Proto", "https");
    assertFalse(untrusted.headers().firstValue("Set-Cookie").orElse("").contains("Secure"));
  }

  @Test
  void aNewLoginReplacesTheBrowsersSessionAndAPasswordChangeEndsTheOthers() throws Exception {
    s.server.accounts().addUser("paula", "paula-password", false);
    Browser first = loggedIn("paula", "paula-password");
    // The same browser logs in again: its old session ends instead of lingering for 12 hours.
    HttpResponse<byte[]> again = s.send(null, "POST", "/.cairn/web/login",
        new JsonObject().put("name", "paula").put("password", "paula-password").encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json", SessionCookie.CSRF_HEADER, "login", "Cookie", first.cookie());
    assertEquals(200, again.statusCode());
    assertEquals(401, s.send(null, "GET", "/.cairn/web/session", null, "Cookie", first.cookie()).statusCode());
    // Two browsers; one changes the password: the other is logged out, the one asking is not.
    Browser laptop = loggedIn("paula", "paula-password");
    Browser phone = loggedIn("paula", "paula-password");
    HttpResponse<byte[]> change = s.send(null, "PUT", "/.cairn/admin/users/paula/password",
        "{\"password\": \"paula-password-2\"}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
        "Cookie", laptop.cookie(), SessionCookie.CSRF_HEADER, laptop.csrf());
    assertEquals(204, change.statusCode(), text(change));
    assertEquals(200, s.send(null, "GET", "/.cairn/web/session", null, "Cookie", laptop.cookie()).statusCode());
    assertEquals(401, s.send(null, "GET", "/.cairn/web/session", null, "Cookie", phone.cookie()).statusCode());
  }
}
