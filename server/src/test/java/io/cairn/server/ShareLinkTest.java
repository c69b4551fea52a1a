package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.http.SessionCookie;
import io.cairn.storage.testkit.MutableClock;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.ShareLink;
import io.cairn.storage.users.ShareTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share links as a visitor without an account meets them: a link opens exactly what it shares
 * (no path leaves it, no other method works), its token is kept only hashed, a revoked link is
 * gone at once on the store every node reads, an expired one answers 410, a password is asked
 * for and throttled, and a link into a shared namespace dies with its owner's grant.
 */
class ShareLinkTest {
  @TempDir static Path dir;
  static final MutableClock clock = new MutableClock(Instant.now());
  static TestServer s;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String BOB = TestServer.basic("bob", "bob-password");

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"), Map.of(), clock);
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
    s.server.accounts().createShared("team");
    s.server.accounts().grant("team", "alice", Grant.Access.WRITE);
    for (String folder : List.of("/docs", "/docs/sub")) {
      assertEquals(201, s.send(ALICE, "MKCOL", folder, null).statusCode());
    }
    put("/docs/a.txt", "alpha");
    put("/docs/sub/b.txt", "beta");
    put("/docs/page.html", "<script>alert(document.cookie)</script>");
    put("/secret.txt", "not shared");
    put("/team/t.txt", "team file");
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static void put(String path, String content) throws Exception {
    int status = s.send(ALICE, "PUT", path, content.getBytes(StandardCharsets.UTF_8)).statusCode();
    assertTrue(status == 201 || status == 204, path + " " + status);
  }

  static JsonObject share(String auth, JsonObject request) throws Exception {
    HttpResponse<byte[]> r = s.send(auth, "POST", "/.cairn/api/v1/shares", request.encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(200, r.statusCode(), text(r));
    return new JsonObject(text(r));
  }

  static String link(String path) throws Exception {
    return share(ALICE, new JsonObject().put("path", path)).getString("url");
  }

  static HttpResponse<byte[]> visit(String url, String... headers) throws Exception {
    return s.send(null, "GET", url, null, headers);
  }

  static String q(String path) {
    return URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void aFolderLinkListsAndDownloadsOnlyThatFolder() throws Exception {
    String url = link("/docs");
    HttpResponse<byte[]> page = visit(url);
    assertEquals(200, page.statusCode());
    assertEquals(io.cairn.server.web.WebAssets.POLICY, page.headers().firstValue("Content-Security-Policy").orElse(null));
    JsonObject info = new JsonObject(text(visit(url + "/info")));
    assertEquals("docs", info.getString("name"));
    assertEquals("folder", info.getString("kind"));
    JsonArray top = new JsonObject(text(visit(url + "/list"))).getJsonArray("entries");
    assertEquals(List.of("a.txt", "page.html", "sub"), top.stream().map(e -> ((JsonObject) e).getString("name")).toList());
    assertFalse(text(visit(url + "/list")).contains("alice"), "nothing of the owner's view is named");
    JsonObject sub = new JsonObject(text(visit(url + "/list?path=" + q("/sub"))));
    assertEquals("/sub", sub.getString("path"));
    assertEquals("b.txt", sub.getJsonArray("entries").getJsonObject(0).getString("name"));
    assertEquals("beta", text(visit(url + "/file?path=" + q("/sub/b.txt"))));
    assertEquals(404, visit(url + "/file?path=" + q("/secret.txt")).statusCode(), "relative to the shared folder");
  }

  @Test
  void noPathLeavesTheSharedFolder() throws Exception {
    String url = link("/docs/sub");
    for (String escape : List.of("/..", "/../a.txt", "/../../secret.txt", "/./b.txt", "//secret.txt", "secret.txt",
        "/b.txt/../../a.txt", "/..\\secret.txt", "/\u0000")) {
      for (String route : List.of("/file", "/list")) {
        HttpResponse<byte[]> r = visit(url + route + "?path=" + q(escape));
        assertTrue(r.statusCode() == 400 || r.statusCode() == 404, escape + " " + route + ": " + r.statusCode());
        assertFalse(text(r).contains("alpha") || text(r).contains("not shared") || text(r).contains("a.txt\""), escape);
      }
    }
    // Encoded by hand, as no client would: %2F and %2E decode once, then the same rule applies.
    for (String raw : List.of("%2F..%2Fa.txt", "%2F%2E%2E%2F%2E%2E%2Fsecret.txt", "%252F..%252Fa.txt")) {
      TestServer.Raw r = s.raw(url + "/file?path=" + raw, "GET", null, "", null);
      assertTrue(r.status() == 400 || r.status() == 404, raw + ": " + r.status());
      assertFalse(r.body().contains("alpha") || r.body().contains("not shared"), raw);
    }
    // A dot segment in the request's own path is not another route into the tree.
    TestServer.Raw dots = s.raw(url + "/../../../secret.txt", "GET", null, "", null);
    assertFalse(dots.body().contains("not shared"));
  }

  @Test
  void aLinkAnswersOnlyItsOwnMethods() throws Exception {
    String url = link("/docs");
    for (String method : List.of("PUT", "DELETE", "PROPFIND", "MKCOL", "MOVE", "COPY", "PROPPATCH", "LOCK")) {
      assertEquals(405, s.send(null, method, url, null).statusCode(), method);
      assertEquals(405, s.send(null, method, url + "/file?path=" + q("/a.txt"), null).statusCode(), method);
    }
    assertEquals("alpha", text(visit(url + "/file?path=" + q("/a.txt"))), "untouched");
  }

  @Test
  void aSharedFileIsAnAttachmentThatNeverRunsAsAPage() throws Exception {
    String url = link("/docs/page.html");
    HttpResponse<byte[]> r = visit(url + "/file");
    assertEquals(200, r.statusCode());
    assertEquals("<script>alert(document.cookie)</script>", text(r));
    assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"page.html\""));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"));
    assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals(404, visit(url + "/file?path=" + q("/other")).statusCode(), "a file link shares one file");
    assertEquals(404, visit(url + "/list").statusCode());
  }

  @Test
  void theTokenCarries256BitsAndIsStoredOnlyAsItsHash() throws Exception {
    JsonObject made = share(ALICE, new JsonObject().put("path", "/docs/a.txt"));
    String token = made.getString("url").substring("/.cairn/s/".length());
    assertEquals(32, Base64.getUrlDecoder().decode(token).length);
    ShareLink stored = s.server.accounts().store().shareLinks("alice").toCompletionStage().toCompletableFuture().join()
        .stream().filter(l -> l.id().equals(made.getString("id"))).findFirst().orElseThrow();
    assertEquals(ShareTokens.hash(token), stored.linkHash());
    assertFalse(stored.toString().contains(token) || stored.linkHash().contains(token) || stored.id().equals(token));
    JsonObject listed = new JsonObject(text(s.send(ALICE, "GET", "/.cairn/api/v1/shares", null)));
    assertFalse(listed.encode().contains(token), "the token is answered once, at creation");
    // A token of the right shape that was never issued, or one character off, opens nothing.
    assertEquals(404, visit("/.cairn/s/" + ShareTokens.generate()).statusCode());
    char last = token.charAt(token.length() - 1);
    assertEquals(404, visit("/.cairn/s/" + token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A') + "/info").statusCode());
    assertEquals(404, visit("/.cairn/s/" + stored.linkHash() + "/info").statusCode(), "the stored hash is no token");
    assertEquals(404, visit("/.cairn/s/" + stored.id() + "/info").statusCode(), "the public id is no token");
    assertEquals(401, s.send("Bearer " + token, "GET", "/docs/a.txt", null).statusCode(), "a link's token is no credential");
  }

  @Test
  void revocationOnTheStoreEveryNodeReadsEndsTheLinkAtOnce() throws Exception {
    JsonObject made = share(ALICE, new JsonObject().put("path", "/docs/a.txt"));
    String url = made.getString("url");
    assertEquals("alpha", text(visit(url + "/file")));
    assertEquals("alpha", text(visit(url + "/file")));
    JsonArray mine = new JsonObject(text(s.send(ALICE, "GET", "/.cairn/api/v1/shares", null))).getJsonArray("shares");
    JsonObject listed = mine.stream().map(o -> (JsonObject) o).filter(o -> o.getString("id").equals(made.getString("id"))).findFirst().orElseThrow();
    assertEquals(2, listed.getLong("downloads"));
    assertEquals("/docs/a.txt", listed.getString("path"));
    // bob neither sees nor revokes it
    assertFalse(text(s.send(BOB, "GET", "/.cairn/api/v1/shares", null)).contains(made.getString("id")));
    assertEquals(404, s.send(BOB, "DELETE", "/.cairn/api/v1/shares/" + made.getString("id"), null).statusCode());
    assertEquals(200, visit(url + "/info").statusCode());
    // Another node revokes it in the shared store: no node caches links, so it is gone here at once.
    s.server.accounts().store().revokeShareLink("alice", made.getString("id")).toCompletionStage().toCompletableFuture().join();
    HttpResponse<byte[]> page = visit(url, "Accept", "text/html");
    assertEquals(404, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(text(page).contains("not available") && !text(page).contains("Exception"));
    assertEquals(404, visit(url + "/file").statusCode());
    assertEquals(404, s.send(ALICE, "DELETE", "/.cairn/api/v1/shares/" + made.getString("id"), null).statusCode());
  }

  @Test
  void anExpiredLinkAnswers410WithAPage() throws Exception {
    long in = clock.millis() + 60_000;
    JsonObject made = share(ALICE, new JsonObject().put("path", "/docs").put("expires_at", in));
    String url = made.getString("url");
    assertEquals(200, visit(url + "/list").statusCode());
    clock.advance(Duration.ofSeconds(61));
    HttpResponse<byte[]> page = visit(url);
    assertEquals(410, page.statusCode());
    assertTrue(text(page).contains("not available"));
    assertEquals(410, visit(url + "/file?path=" + q("/a.txt")).statusCode());
    HttpResponse<byte[]> past = s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/docs").put("expires_at", clock.millis() - 1).encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(400, past.statusCode(), "an expiry in the past is refused");
  }

  @Test
  void aPasswordIsAskedForThrottledAndThenKeptInACookieOfThatLinkOnly() throws Exception {
    String url = share(ALICE, new JsonObject().put("path", "/docs").put("password", "open sesame")).getString("url");
    String other = share(ALICE, new JsonObject().put("path", "/docs/sub").put("password", "open sesame")).getString("url");
    HttpResponse<byte[]> locked = visit(url + "/info");
    assertEquals(401, locked.statusCode());
    assertEquals("password_required", new JsonObject(text(locked)).getString("error"));
    assertTrue(locked.headers().firstValue("WWW-Authenticate").isEmpty(), "no browser dialog");
    assertEquals(401, visit(url + "/file?path=" + q("/a.txt")).statusCode());
    assertEquals(401, unlock(url, "wrong password").statusCode());
    assertEquals(403, s.send(null, "POST", url + "/unlock", body("open sesame"), "Content-Type", "application/json").statusCode(),
        "without the page's header");
    HttpResponse<byte[]> ok = unlock(url, "open sesame");
    assertEquals(200, ok.statusCode());
    String set = ok.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(set.contains("; Path=" + url + ";") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), set);
    String cookie = set.substring(0, set.indexOf(';'));
    assertFalse(cookie.contains("open sesame"));
    assertEquals("alpha", text(visit(url + "/file?path=" + q("/a.txt"), "Cookie", cookie)));
    assertEquals(401, visit(other + "/info", "Cookie", cookie).statusCode(), "one link's cookie opens no other");
    int status = 0;
    for (int i = 0; i < 12 && status != 429; i++) {
      status = unlock(other, "guess " + i).statusCode();
    }
    assertEquals(429, status, "guessing is throttled as logins are");
    assertEquals(429, unlock(other, "open sesame").statusCode(), "even the right password waits out the lockout");
  }

  static byte[] body(String password) {
    return new JsonObject().put("password", password).encode().getBytes(StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> unlock(String url, String password) throws Exception {
    return s.send(null, "POST", url + "/unlock", body(password), "Content-Type", "application/json", SessionCookie.CSRF_HEADER, "x");
  }

  @Test
  void aLinkIntoASharedNamespaceWorksOnlyWhileTheOwnerKeepsTheGrant() throws Exception {
    s.server.accounts().createShared("ops");
    s.server.accounts().grant("ops", "alice", Grant.Access.READ);
    s.server.accounts().grant("ops", "bob", Grant.Access.WRITE);
    assertEquals(201, s.send(BOB, "PUT", "/ops/o.txt", "ops file".getBytes(StandardCharsets.UTF_8)).statusCode());
    String url = link("/ops/o.txt");
    assertEquals("ops file", text(visit(url + "/file")));
    s.server.accounts().revokeGrant("ops", "alice");
    assertEquals(404, visit(url + "/file").statusCode());
    assertEquals(404, visit(url).statusCode());
    JsonObject listed = new JsonObject(text(s.send(ALICE, "GET", "/.cairn/api/v1/shares", null)));
    assertTrue(listed.getJsonArray("shares").stream().map(o -> (JsonObject) o).anyMatch(o -> o.getValue("path") == null),
        "listed without a path: no longer in her view");
    s.server.accounts().grant("ops", "alice", Grant.Access.READ);
    assertEquals("ops file", text(visit(url + "/file")), "the grant back, the link back");
  }

  @Test
  void aDisabledUsersLinksStopWithTheirLoginsAndComeBackWhenEnabled() throws Exception {
    s.server.accounts().addUser("dora", "dora-password", false);
    String dora = TestServer.basic("dora", "dora-password");
    assertEquals(201, s.send(dora, "PUT", "/d.txt", "dora's".getBytes(StandardCharsets.UTF_8)).statusCode());
    String url = share(dora, new JsonObject().put("path", "/d.txt")).getString("url");
    assertEquals("dora's", text(visit(url + "/file")));
    s.server.accounts().setDisabled("dora", true);
    assertEquals(401, s.send(dora, "GET", "/d.txt", null).statusCode());
    assertEquals(404, visit(url + "/file").statusCode(), "a disabled user's link shares nothing");
    assertEquals(404, visit(url).statusCode());
    s.server.accounts().setDisabled("dora", false);
    assertEquals("dora's", text(visit(url + "/file")), "enabled again, the link works again");
  }

  @Test
  void whatCannotBeSharedIsRefusedClearly() throws Exception {
    for (JsonObject bad : List.of(new JsonObject().put("path", "/"), new JsonObject().put("path", "/docs").put("password", "short"),
        new JsonObject().put("path", "/docs").put("mode", "write"), new JsonObject().put("path", "/docs/../secret.txt"))) {
      HttpResponse<byte[]> r = s.send(ALICE, "POST", "/.cairn/api/v1/shares", bad.encode().getBytes(StandardCharsets.UTF_8));
      assertEquals(400, r.statusCode(), bad + " " + text(r));
    }
    assertEquals(404, s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/nothing").encode().getBytes(StandardCharsets.UTF_8)).statusCode());
    assertEquals(401, s.send(null, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/docs").encode().getBytes(StandardCharsets.UTF_8)).statusCode());
    assertNull(new JsonObject(text(s.send(ALICE, "GET", "/.cairn/api/v1/shares", null))).getValue("url"));
  }

  @Test
  void theLinkPagesAndScriptsRunNoInlineCodeAndWriteNamesAsText() throws Exception {
    java.util.regex.Pattern inline = java.util.regex.Pattern.compile("<script(?![^>]*\\bsrc=)|\\son[a-z]+\\s*=", java.util.regex.Pattern.CASE_INSENSITIVE);
    String url = link("/docs");
    for (String page : List.of(url, "/.cairn/s/" + ShareTokens.generate())) {
      HttpResponse<byte[]> r = visit(page, "Accept", "text/html");
      assertEquals(io.cairn.server.web.WebAssets.POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null), page);
      assertFalse(inline.matcher(text(r)).find(), page);
    }
    for (String script : List.of("link.js", "page.js", "shares.js", "settings.js")) {
      HttpResponse<byte[]> r = visit("/.cairn/web/" + script);
      assertEquals(200, r.statusCode(), script);
      assertFalse(text(r).contains("innerHTML") || text(r).contains("outerHTML") || text(r).contains("insertAdjacentHTML"), script);
    }
  }

  @Test
  void aMistypedLinkPathAnswers404WithoutAskingForCredentials() throws Exception {
    String url = link("/docs");
    for (String path : List.of(url + "/", url + "/nothing", "/.cairn/s/", "/.cairn/s/x/y/z")) {
      HttpResponse<byte[]> r = visit(path, "Accept", "text/html");
      assertTrue(r.statusCode() == 404 || r.statusCode() == 200, path + " " + r.statusCode());
      assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), path + ": no Basic dialog over a link");
    }
  }

  @Test
  void theAccessLogShowsALinksPathWithoutItsToken() throws Exception {
    Path log = dir.resolve("access.log");
    try (TestServer other = TestServer.start(dir.resolve("data-log"), Map.of("log.access.file", log.toString()), clock)) {
      other.server.accounts().addUser("carol", "carol-password", false);
      String carol = TestServer.basic("carol", "carol-password");
      assertEquals(201, other.send(carol, "PUT", "/c.txt", "c".getBytes(StandardCharsets.UTF_8)).statusCode());
      HttpResponse<byte[]> made = other.send(carol, "POST", "/.cairn/api/v1/shares",
          new JsonObject().put("path", "/c.txt").encode().getBytes(StandardCharsets.UTF_8));
      String url = new JsonObject(text(made)).getString("url");
      String token = url.substring("/.cairn/s/".length());
      assertEquals("c", text(other.send(null, "GET", url + "/file", null)));
      String lines = "";
      for (int i = 0; i < 100 && !lines.contains("/file"); i++) { // the file sink writes in the background
        Thread.sleep(100);
        lines = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
      }
      assertTrue(lines.contains("/.cairn/s/" + token.substring(0, 4) + ".../file"), lines);
      assertFalse(lines.contains(token), "the log is no key to the links");
    }
  }
}
