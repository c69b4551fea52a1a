package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured limits (docs/operations.md#limits), each through WebDAV and the sync API, which
 * must refuse alike since both go through the files layer: the largest upload (413, nothing
 * stored), the most entries in a folder (507), the deepest path (403), and the largest WebDAV XML
 * body (413); the Nextcloud dialect's chunked upload is held to the largest upload when assembled.
 * A refusal is a short reason a person can read, never a stack trace.
 */
class LimitsTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  static final int MAX_UPLOAD = 1 << 20;

  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir, Map.of("upload.max.size", "1M", "folder.max.entries", "3", "path.max.depth", "4",
        "webdav.max.xml.body", "4K"), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build());
    for (String user : new String[] {"uploads", "commits", "folders", "depths", "nextcloud", "dropper"}) {
      s.server.accounts().addUser(user, user + "-password", false);
    }
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void anUploadOverTheLargestIs413WithItsReasonAndStoresNothing() throws Exception {
    String as = TestServer.basic("uploads", "uploads-password");
    assertEquals(201, s.send(as, "PUT", "/exactly.bin", bytes(MAX_UPLOAD)).statusCode(), "the limit itself fits");
    HttpResponse<byte[]> announced = s.send(as, "PUT", "/announced.bin", bytes(MAX_UPLOAD + 1));
    assertEquals(413, announced.statusCode());
    assertTrue(TestServer.text(announced).contains("at most 1048576 bytes"), TestServer.text(announced));
    assertEquals(404, s.send(as, "GET", "/announced.bin", null).statusCode());

    byte[] unannounced = bytes(3 * MAX_UPLOAD);
    HttpResponse<String> chunked = s.client.send(HttpRequest.newBuilder(URI.create(s.url("/chunked.bin")))
        .header("Authorization", as).timeout(Duration.ofSeconds(60))
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(unannounced))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, chunked.statusCode(), "a chunked body is refused once it outgrows the limit");
    assertEquals(404, s.send(as, "GET", "/chunked.bin", null).statusCode());

    assertEquals(201, s.send(as, "PUT", "/overwritten.bin", bytes(10)).statusCode());
    assertEquals(413, s.send(as, "PUT", "/overwritten.bin", bytes(MAX_UPLOAD + 1)).statusCode());
    assertEquals(10, s.send(as, "GET", "/overwritten.bin", null).body().length, "the old version stays");
  }

  @Test
  void aNextcloudChunkedUploadAssembledOverTheLargestIs413() throws Exception {
    String as = TestServer.basic("nextcloud", "nextcloud-password");
    String uploads = "/remote.php/dav/uploads/nextcloud/big";
    byte[] part = bytes(MAX_UPLOAD / 2 + 1);
    assertEquals(201, s.send(as, "MKCOL", uploads, null).statusCode());
    assertEquals(201, s.send(as, "PUT", uploads + "/0", part).statusCode(), "each part is under the limit");
    assertEquals(201, s.send(as, "PUT", uploads + "/" + part.length, part).statusCode());
    HttpResponse<byte[]> moved = s.send(as, "MOVE", uploads + "/.file", null,
        "Destination", s.url("/remote.php/dav/files/nextcloud/big.bin"), "OC-Total-Length", String.valueOf(2 * part.length));
    assertEquals(413, moved.statusCode(), TestServer.text(moved));
    assertEquals(404, s.send(as, "GET", "/big.bin", null).statusCode(), "nothing was committed");
  }

  @Test
  void aDropLinksPartsTogetherOverTheLargestAre413BeforeTheyAreStaged() throws Exception {
    String as = TestServer.basic("dropper", "dropper-password");
    assertEquals(201, s.send(as, "MKCOL", "/inbox", null).statusCode());
    HttpResponse<byte[]> shared = s.send(as, "POST", "/.cairn/api/v1/shares",
        "{\"path\": \"/inbox\", \"mode\": \"drop\"}".getBytes(), "Content-Type", "application/json");
    assertEquals(200, shared.statusCode(), TestServer.text(shared));
    String url = new io.vertx.core.json.JsonObject(TestServer.text(shared)).getString("url");
    String id = new io.vertx.core.json.JsonObject(TestServer.text(s.send(null, "POST", url + "/drop", new byte[0], "X-Cairn-CSRF", "x")))
        .getString("upload");
    byte[] part = bytes(MAX_UPLOAD / 2 + 1);
    assertEquals(201, s.send(null, "PUT", url + "/drop/" + id + "/part/0", part, "X-Cairn-CSRF", "x").statusCode());
    assertEquals(201, s.send(null, "PUT", url + "/drop/" + id + "/part/0", part, "X-Cairn-CSRF", "x").statusCode(),
        "a part sent again replaces itself");
    HttpResponse<byte[]> over = s.send(null, "PUT", url + "/drop/" + id + "/part/1", part, "X-Cairn-CSRF", "x");
    assertEquals(413, over.statusCode(), "the parts together would outgrow the largest upload: " + TestServer.text(over));
    assertEquals(404, s.send(null, "PUT", url + "/drop/drop-nosuch/part/0", part, "X-Cairn-CSRF", "x").statusCode());
  }

  @Test
  void aSyncCommitOverTheLargestIs413BeforeAnyChunkIsAskedFor() throws Exception {
    String as = TestServer.basic("commits", "commits-password");
    byte[] a = bytes(MAX_UPLOAD / 2 + 7);
    byte[] b = bytes(MAX_UPLOAD / 2 + 9);
    JsonArray blocklist = new JsonArray()
        .add(new JsonObject().put("hash", ChunkHash.sha256(a).hex()).put("size", a.length))
        .add(new JsonObject().put("hash", ChunkHash.sha256(b).hex()).put("size", b.length));
    HttpResponse<byte[]> r = s.api(as, "POST", "/commit", new JsonObject().put("path", "/synced.bin")
        .put("size", a.length + b.length).put("base", (Object) null).put("blocklist", blocklist));
    assertEquals(413, r.statusCode(), TestServer.text(r));
    assertEquals("too_large", TestServer.json(r).getString("error"));
    assertTrue(TestServer.json(r).getString("message").contains("at most 1048576 bytes"), TestServer.text(r));
    assertEquals(404, s.send(as, "GET", "/synced.bin", null).statusCode());
  }

  @Test
  void aFolderHoldingTheMostEntriesRefusesANewOneWith507OverEveryFront() throws Exception {
    String as = TestServer.basic("folders", "folders-password");
    assertEquals(201, s.send(as, "MKCOL", "/full", null).statusCode());
    for (String name : new String[] {"a", "b", "c"}) {
      assertEquals(201, s.send(as, "PUT", "/full/" + name, bytes(3)).statusCode(), name);
    }
    HttpResponse<byte[]> put = s.send(as, "PUT", "/full/d", bytes(3));
    assertEquals(507, put.statusCode());
    assertTrue(TestServer.text(put).contains("at most 3 files and folders"), TestServer.text(put));
    assertEquals(507, s.send(as, "MKCOL", "/full/e", null).statusCode());
    assertEquals(507, s.send(as, "COPY", "/full/a", null, "Destination", s.url("/full/z")).statusCode());
    assertEquals(201, s.send(as, "PUT", "/outside", bytes(3)).statusCode());
    assertEquals(507, s.send(as, "MOVE", "/outside", null, "Destination", s.url("/full/outside")).statusCode());
    assertEquals(204, s.send(as, "PUT", "/full/a", bytes(4)).statusCode(), "an overwrite adds no entry");
    assertEquals(201, s.send(as, "MOVE", "/full/b", null, "Destination", s.url("/full/renamed")).statusCode(),
        "a rename within the folder adds no entry");

    HttpResponse<byte[]> mkdir = s.api(as, "POST", "/mkdir", new JsonObject().put("path", "/full/g"));
    assertEquals(507, mkdir.statusCode(), TestServer.text(mkdir));
    assertEquals("insufficient_storage", TestServer.json(mkdir).getString("error"));
    byte[] chunk = bytes(5);
    assertEquals(201, s.send(as, "PUT", "/.cairn/api/v1/chunks/" + ChunkHash.sha256(chunk).hex(), chunk,
        "Content-Type", "application/octet-stream").statusCode());
    HttpResponse<byte[]> commit = s.api(as, "POST", "/commit", new JsonObject().put("path", "/full/h").put("size", 5)
        .put("base", (Object) null).put("blocklist", new JsonArray()
            .add(new JsonObject().put("hash", ChunkHash.sha256(chunk).hex()).put("size", 5))));
    assertEquals(507, commit.statusCode(), TestServer.text(commit));
    HttpResponse<byte[]> list = s.api(as, "GET", "/list?path=/full", null);
    assertEquals(200, list.statusCode(), TestServer.text(list));
    assertEquals(3, TestServer.json(list).getJsonArray("entries").size(), "the folder holds its 3 entries, nothing more: " + TestServer.text(list));
  }

  @Test
  void aPathDeeperThanTheMostIs403OverEveryFront() throws Exception {
    String as = TestServer.basic("depths", "depths-password");
    for (String p : new String[] {"/d1", "/d1/d2", "/d1/d2/d3"}) {
      assertEquals(201, s.send(as, "MKCOL", p, null).statusCode(), p);
    }
    assertEquals(201, s.send(as, "PUT", "/d1/d2/d3/four.txt", bytes(3)).statusCode(), "4 names deep fits");
    assertEquals(201, s.send(as, "MKCOL", "/d1/d2/d3/d4", null).statusCode());
    HttpResponse<byte[]> deep = s.send(as, "PUT", "/d1/d2/d3/d4/five.txt", bytes(3));
    assertEquals(403, deep.statusCode());
    assertTrue(TestServer.text(deep).contains("at most 4 folders deep"), TestServer.text(deep));
    assertEquals(403, s.send(as, "MKCOL", "/d1/d2/d3/d4/d5", null).statusCode());
    assertEquals(403, s.send(as, "COPY", "/d1/d2/d3/four.txt", null, "Destination",
        s.url("/d1/d2/d3/d4/copy.txt")).statusCode());

    HttpResponse<byte[]> mkdir = s.api(as, "POST", "/mkdir", new JsonObject().put("path", "/d1/d2/d3/d4/d5"));
    assertEquals(403, mkdir.statusCode(), TestServer.text(mkdir));
    assertEquals("forbidden", TestServer.json(mkdir).getString("error"));
    assertEquals(404, s.send(as, "PROPFIND", "/d1/d2/d3/d4/d5", null, "Depth", "0").statusCode());

    for (String p : new String[] {"/t1", "/t1/t2", "/t1/t2/t3"}) { // a tree three names deep
      assertEquals(201, s.send(as, "MKCOL", p, null).statusCode(), p);
    }
    assertEquals(403, s.send(as, "MOVE", "/t1", null, "Destination", s.url("/d1/d2/t1")).statusCode(),
        "moved under /d1/d2, /t1/t2/t3 would be five deep");
    assertEquals(403, s.send(as, "COPY", "/t1", null, "Destination", s.url("/d1/d2/t1")).statusCode());
    assertEquals(404, s.send(as, "PROPFIND", "/d1/d2/t1", null, "Depth", "0").statusCode(), "nothing moved or copied");
    HttpResponse<byte[]> apiMove = s.api(as, "POST", "/move", new JsonObject().put("from", "/t1").put("to", "/d1/d2/t1"));
    assertEquals(403, apiMove.statusCode(), TestServer.text(apiMove));
    assertEquals(201, s.send(as, "MOVE", "/t1", null, "Destination", s.url("/d1/t1")).statusCode(), "four deep fits");
  }

  @Test
  void anXmlBodyOverTheLargestIs413ForPropfindProppatchAndLock() throws Exception {
    String padding = "<!--" + "x".repeat(5000) + "-->";
    String propfind = "<?xml version=\"1.0\"?>" + padding + "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
    assertEquals(413, s.send(ADMIN, "PROPFIND", "/", utf8(propfind), "Depth", "0").statusCode());
    String proppatch = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:set><D:prop><Z:p>"
        + "y".repeat(5000) + "</Z:p></D:prop></D:set></D:propertyupdate>";
    assertEquals(413, s.send(ADMIN, "PROPPATCH", "/", utf8(proppatch)).statusCode());
    String lock = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype><D:owner>" + "o".repeat(5000) + "</D:owner></D:lockinfo>";
    assertEquals(413, s.send(ADMIN, "LOCK", "/locked.txt", utf8(lock)).statusCode());
    assertEquals(207, s.send(ADMIN, "PROPFIND", "/", utf8("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\">"
        + "<D:allprop/></D:propfind>"), "Depth", "0").statusCode(), "a body under the limit is read");
  }

  @Test
  void limitsAreCheckedWhenTheConfigurationIsRead() {
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("upload.max.size", "lots")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("folder.max.entries", "-1")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("path.max.depth", "5000")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("webdav.max.xml.body", "1")));
    ServerConfig defaults = ServerConfig.load(null, Map.of());
    assertEquals(0, defaults.limits().maxUploadBytes());
    assertEquals(0, defaults.limits().maxFolderEntries());
    assertEquals(256, defaults.limits().maxPathDepth());
    assertEquals(1 << 20, defaults.maxXmlBodyBytes());
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
