package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload-only ("drop") links as a visitor without an account meets them: files go in, in parts,
 * under a free name, and nothing of what the folder holds comes out.
 */
class DropLinkTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String CSRF = "X-Cairn-CSRF";

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("alice", "alice-password", false);
    assertEquals(201, s.send(ALICE, "MKCOL", "/inbox", null).statusCode());
    assertEquals(201, s.send(ALICE, "PUT", "/inbox/report.txt", "alice's own".getBytes()).statusCode());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static String share(String path, String mode) throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", path).put("mode", mode).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertEquals(200, r.statusCode(), text(r));
    return new JsonObject(text(r)).getString("url");
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> visitor(String method, String url, byte[] body, String... headers) throws Exception {
    return s.send(null, method, url, body, headers);
  }

  /** Uploads {@code bytes} as {@code name} in parts of {@code part} bytes; the done call's answer. */
  static HttpResponse<byte[]> drop(String url, String name, byte[] bytes, int part) throws Exception {
    HttpResponse<byte[]> begun = visitor("POST", url + "/drop", new byte[0], CSRF, "x");
    assertEquals(201, begun.statusCode(), text(begun));
    String id = new JsonObject(text(begun)).getString("upload");
    for (int at = 0, n = 0; at < bytes.length; at += part, n++) {
      byte[] slice = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + part));
      assertEquals(201, visitor("PUT", url + "/drop/" + id + "/part/" + n, slice, CSRF, "x").statusCode());
    }
    return visitor("POST", url + "/drop/" + id + "/done",
        new JsonObject().put("name", name).put("size", bytes.length).encode().getBytes(StandardCharsets.UTF_8),
        CSRF, "x", "Content-Type", "application/json");
  }

  @Test
  void aVisitorDropsFilesInPartsUnderFreeNamesAndSeesNothingOfTheFolder() throws Exception {
    String url = share("/inbox", "drop");
    assertEquals("drop", new JsonObject(text(visitor("GET", url + "/info", null))).getString("mode"));
    assertEquals(403, visitor("GET", url + "/list?path=/", null).statusCode());
    assertEquals(403, visitor("GET", url + "/file?path=/report.txt", null).statusCode());

    byte[] first = new byte[300_000];
    new java.util.Random(1).nextBytes(first);
    HttpResponse<byte[]> done = drop(url, "report.txt", first, 100_000);
    assertEquals(201, done.statusCode(), text(done));
    assertFalse(text(done).contains("report"), "the answer names no file: " + text(done));
    assertEquals("alice's own", text(s.send(ALICE, "GET", "/inbox/report.txt", null)), "nothing replaced");
    assertEquals(Arrays.hashCode(first), Arrays.hashCode(s.send(ALICE, "GET", "/inbox/report%20(2).txt", null).body()));
    assertEquals(201, drop(url, "report.txt", "third".getBytes(), 4).statusCode());
    assertEquals("third", text(s.send(ALICE, "GET", "/inbox/report%20(3).txt", null)));
  }

  @Test
  void uploadsNeedTheHeaderADropLinkAndTheirOwnLinksUploadIds() throws Exception {
    String url = share("/inbox", "drop");
    assertEquals(403, visitor("POST", url + "/drop", new byte[0]).statusCode(), "no X-Cairn-CSRF");
    String read = share("/inbox", "read");
    assertEquals(403, visitor("POST", read + "/drop", new byte[0], CSRF, "x").statusCode(), "a read link takes nothing");
    String other = share("/inbox", "drop");
    String id = new JsonObject(text(visitor("POST", other + "/drop", new byte[0], CSRF, "x"))).getString("upload");
    assertEquals(404, visitor("PUT", url + "/drop/" + id + "/part/0", "x".getBytes(), CSRF, "x").statusCode(),
        "another link's upload");
    String mine = new JsonObject(text(visitor("POST", url + "/drop", new byte[0], CSRF, "x"))).getString("upload");
    for (String name : List.of("../x", "rtl\u202egnp.exe", "a\\b", "trailing.", "trailing ")) {
      assertEquals(400, visitor("POST", url + "/drop/" + mine + "/done",
          new JsonObject().put("name", name).put("size", 0).encode().getBytes(StandardCharsets.UTF_8), CSRF, "x").statusCode(),
          "refused: " + name);
    }
    assertEquals(400, visitor("PUT", url + "/drop/" + mine + "/part/10000", "x".getBytes(), CSRF, "x").statusCode(),
        "no more parts than an upload may have");
    HttpResponse<byte[]> file = s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/inbox/report.txt").put("mode", "drop").encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(400, file.statusCode(), "a drop link opens a folder");
  }
}
