package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin REST API: what admins may do, what users may do for themselves, and the errors. */
class AdminApiTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @BeforeAll
  static void start() {
    s = TestServer.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static HttpResponse<byte[]> call(String auth, String method, String path, String json) throws Exception {
    return s.send(auth, method, "/.cairn/admin/" + path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  static JsonObject body(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void adminManagesUsersTokensQuotasAndShares() throws Exception {
    HttpResponse<byte[]> made = call(ADMIN, "POST", "users", "{\"name\":\"nina\",\"password\":\"nina-password\"}");
    assertEquals(201, made.statusCode(), new String(made.body()));
    assertEquals("home:nina", body(made).getString("home"));
    assertFalse(new String(made.body()).contains("argon2"), "no hash is ever returned");
    assertEquals(409, call(ADMIN, "POST", "users", "{\"name\":\"nina\",\"password\":\"nina-password\"}").statusCode());
    assertEquals(400, call(ADMIN, "POST", "users", "{\"name\":\"Nina!\",\"password\":\"nina-password\"}").statusCode());
    assertEquals(400, call(ADMIN, "POST", "users", "not json").statusCode());
    String list = new String(call(ADMIN, "GET", "users", null).body());
    assertTrue(list.contains("\"nina\"") && list.contains("\"admin\""), list);
    assertEquals(204, call(ADMIN, "PUT", "users/nina/quota", "{\"bytes\":1000}").statusCode());
    assertEquals(1000, s.server.accounts().user("nina").quotaBytes());
    assertEquals(404, call(ADMIN, "PUT", "users/nobody/quota", "{\"bytes\":1000}").statusCode());
    assertEquals(201, call(ADMIN, "POST", "namespaces", "{\"name\":\"crew\"}").statusCode());
    assertEquals(204, call(ADMIN, "PUT", "namespaces/crew/grants/nina", "{\"access\":\"write\"}").statusCode());
    assertEquals(404, call(ADMIN, "PUT", "namespaces/nope/grants/nina", "{\"access\":\"write\"}").statusCode());
    String nina = TestServer.basic("nina", "nina-password");
    assertEquals(201, s.send(nina, "PUT", "/crew/x.txt", "x".getBytes()).statusCode());
    assertEquals(204, call(ADMIN, "DELETE", "namespaces/crew/grants/nina", null).statusCode());
    assertEquals(404, s.send(nina, "GET", "/crew/x.txt", null).statusCode());
  }

  @Test
  void aDisabledUserIsRefusedWithPasswordAndTokenUntilEnabledAgain() throws Exception {
    assertEquals(201, call(ADMIN, "POST", "users", "{\"name\":\"dora\",\"password\":\"dora-password\"}").statusCode());
    String dora = TestServer.basic("dora", "dora-password");
    String token = body(call(dora, "POST", "users/dora/tokens", "{\"name\":\"t\",\"expiresInSeconds\":3600}")).getString("token");
    assertEquals(201, s.send(dora, "PUT", "/d.txt", "d".getBytes()).statusCode());
    assertEquals(204, call(ADMIN, "PUT", "users/dora/disabled", "{\"disabled\":true}").statusCode());
    assertEquals(401, s.send(dora, "GET", "/d.txt", null).statusCode(), "password refused");
    assertEquals(401, s.send("Bearer " + token, "GET", "/d.txt", null).statusCode(), "token refused");
    String list = new String(call(ADMIN, "GET", "users", null).body());
    assertTrue(list.contains("\"name\":\"dora\",\"admin\":false,\"home\":\"home:dora\",\"quotaBytes\":-1,\"disabled\":true"), list);
    assertEquals(204, call(ADMIN, "PUT", "users/dora/password", "{\"password\":\"dora-password-2\"}").statusCode());
    assertEquals(401, s.send(TestServer.basic("dora", "dora-password-2"), "GET", "/d.txt", null).statusCode(),
        "a new password does not enable");
    assertEquals(400, call(ADMIN, "PUT", "users/admin/disabled", "{\"disabled\":true}").statusCode(), "not oneself");
    assertEquals(400, call(ADMIN, "PUT", "users/dora/disabled", "{\"disabled\":\"yes\"}").statusCode());
    assertEquals(404, call(ADMIN, "PUT", "users/nobody/disabled", "{\"disabled\":true}").statusCode());
    assertEquals(204, call(ADMIN, "PUT", "users/dora/disabled", "{\"disabled\":false}").statusCode());
    assertEquals(200, s.send(TestServer.basic("dora", "dora-password-2"), "GET", "/d.txt", null).statusCode());
    assertEquals(200, s.send("Bearer " + token, "GET", "/d.txt", null).statusCode(), "the token works again");
    assertEquals(403, call(TestServer.basic("dora", "dora-password-2"), "PUT", "users/dora/disabled", "{\"disabled\":false}").statusCode());
  }

  @Test
  void adminsListSharedNamespacesWithGrantsAndReadTheStatusOthersGet403() throws Exception {
    assertEquals(201, call(ADMIN, "POST", "users", "{\"name\":\"olga\",\"password\":\"olga-password\"}").statusCode());
    assertEquals(201, call(ADMIN, "POST", "namespaces", "{\"name\":\"plans\"}").statusCode());
    assertEquals(204, call(ADMIN, "PUT", "namespaces/plans/grants/olga", "{\"access\":\"read\"}").statusCode());
    JsonObject plans = body(call(ADMIN, "GET", "namespaces", null)).getJsonArray("namespaces").stream()
        .map(o -> (JsonObject) o).filter(n -> n.getString("name").equals("plans")).findFirst().orElseThrow();
    assertEquals(new JsonObject("{\"name\":\"plans\",\"grants\":[{\"user\":\"olga\",\"access\":\"read\"}]}"), plans);
    JsonObject status = body(call(ADMIN, "GET", "status", null));
    assertEquals("SqliteJournal", status.getJsonObject("backends").getString("journal"));
    assertFalse(status.getBoolean("clustered"));
    assertTrue(status.getJsonObject("disk").getLong("freeBytes") > 0, status.encode());
    assertTrue(status.getJsonObject("disk").getLong("sizeBytes") >= status.getJsonObject("disk").getLong("freeBytes"), status.encode());
    assertTrue(status.containsKey("gc") && status.getValue("gc") == null, "no gc run recorded yet: " + status.encode());
    assertTrue(status.containsKey("fsck") && status.getValue("fsck") == null, "no fsck run recorded yet: " + status.encode());
    String olga = TestServer.basic("olga", "olga-password");
    for (String path : new String[] {"namespaces", "status", "users"}) {
      assertEquals(403, call(olga, "GET", path, null).statusCode(), path);
    }
  }

  @Test
  void usersManageTheirOwnTokensAndPasswordOnly() throws Exception {
    s.server.accounts().addUser("otto", "otto-password", false);
    s.server.accounts().addUser("pia", "pia-password", false);
    String otto = TestServer.basic("otto", "otto-password");
    assertEquals(403, call(otto, "GET", "users", null).statusCode());
    assertEquals(403, call(otto, "POST", "users", "{\"name\":\"evil\",\"password\":\"evil-password\"}").statusCode());
    assertEquals(403, call(otto, "PUT", "users/otto/quota", "{\"bytes\":-1}").statusCode());
    assertEquals(403, call(otto, "GET", "users/pia/tokens", null).statusCode());
    assertEquals(403, call(otto, "PUT", "users/pia/password", "{\"password\":\"taken-over\"}").statusCode());
    HttpResponse<byte[]> t = call(otto, "POST", "users/otto/tokens", "{\"name\":\"cli\",\"expiresInSeconds\":3600}");
    assertEquals(201, t.statusCode());
    String token = body(t).getString("token");
    String id = body(t).getString("id");
    assertEquals(207, s.send("Bearer " + token, "PROPFIND", "/", null, "Depth", "0").statusCode());
    assertEquals(400, call(otto, "POST", "users/otto/tokens", "{\"name\":\"x\",\"expiresInSeconds\":0}").statusCode());
    String listed = new String(call("Bearer " + token, "GET", "users/otto/tokens", null).body());
    assertTrue(listed.contains(id) && !listed.contains(token), listed);
    assertEquals(204, call(otto, "DELETE", "users/otto/tokens/" + id, null).statusCode());
    assertEquals(401, s.send("Bearer " + token, "PROPFIND", "/", null, "Depth", "0").statusCode());
    assertEquals(404, call(otto, "DELETE", "users/otto/tokens/" + id, null).statusCode());
    assertEquals(204, call(otto, "PUT", "users/otto/password", "{\"password\":\"otto-password-2\"}").statusCode());
    assertEquals(401, call(otto, "GET", "users/otto/tokens", null).statusCode());
    assertEquals(401, call(null, "GET", "users", null).statusCode());
  }

  @Test
  void aKnownPathWithAnotherMethodIs405WithAllowAndAnUnknownPathIs404() throws Exception {
    HttpResponse<byte[]> wrong = call(ADMIN, "PATCH", "users", "{}");
    assertEquals(405, wrong.statusCode());
    assertEquals("GET, POST", wrong.headers().firstValue("Allow").orElse(""));
    assertTrue(body(wrong).containsKey("error"));
    HttpResponse<byte[]> grants = call(ADMIN, "GET", "namespaces/crew/grants/nina", null);
    assertEquals(405, grants.statusCode());
    assertEquals("PUT, DELETE", grants.headers().firstValue("Allow").orElse(""));
    HttpResponse<byte[]> unknown = call(ADMIN, "GET", "users/nina/nothing", null);
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", body(unknown).getString("error"));
    assertEquals(401, call(null, "GET", "nothing/here", null).statusCode(), "authenticated before routing");
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedAsItArrives() throws Exception {
    // 1 MiB of chunks, never a Content-Length: refused with 413 once past 64 KiB, not buffered whole.
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.port())) {
      sock.setSoTimeout(30_000);
      java.io.OutputStream out = sock.getOutputStream();
      String head = "POST /.cairn/admin/users HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[8192];
      java.util.Arrays.fill(chunk, (byte) ' ');
      int sent = 0;
      try {
        for (; sent < 128; sent++) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      } catch (java.io.IOException closed) {
        // the server answered and closed while the chunks were still coming: what we want
      }
      String answer = new String(sock.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      assertEquals("HTTP/1.1 413", answer);
    }
  }
}
