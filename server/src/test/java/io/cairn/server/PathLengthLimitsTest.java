package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured limits on names, paths and listings (docs/operations.md#limits), as {@link
 * LimitsTest} checks the others: the longest name and path of a new entry (400 over WebDAV, the sync
 * API and the Nextcloud dialect alike, a move that lengthens a whole subtree included), the largest
 * PROPFIND listing (507 with what to do instead, the paged sync API untouched), and the deepest path
 * for a folder restored from the trash.
 */
class PathLengthLimitsTest {
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir, Map.of("path.max.name", "12", "path.max.length", "32", "path.max.depth", "4",
        "webdav.max.propfind.entries", "3"), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build());
    for (String user : new String[] {"names", "lengths", "lister", "restorer"}) {
      s.server.accounts().addUser(user, user + "-password", false);
    }
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void aNameLongerThanTheLongestIs400OverEveryFront() throws Exception {
    String as = TestServer.basic("names", "names-password");
    assertEquals(201, s.send(as, "PUT", "/twelve-chars", bytes(3)).statusCode(), "the limit itself fits");
    HttpResponse<byte[]> put = s.send(as, "PUT", "/thirteen-char", bytes(3));
    assertEquals(400, put.statusCode());
    assertTrue(TestServer.text(put).contains("a name may be at most 12 characters"), TestServer.text(put));
    assertEquals(400, s.send(as, "MKCOL", "/thirteen-char", null).statusCode());
    HttpResponse<byte[]> mkdir = s.api(as, "POST", "/mkdir", new JsonObject().put("path", "/thirteen-char"));
    assertEquals(400, mkdir.statusCode(), TestServer.text(mkdir));
    assertEquals("invalid", TestServer.json(mkdir).getString("error"));
    assertEquals(400, s.send(as, "PUT", "/remote.php/dav/files/names/thirteen-char", bytes(3)).statusCode(),
        "the Nextcloud dialect");

    assertEquals(400, s.send(as, "MOVE", "/twelve-chars", null, "Destination", s.url("/thirteen-char")).statusCode(),
        "a rename in place makes a new name too");
    assertEquals(204, s.send(as, "PUT", "/twelve-chars", bytes(4)).statusCode(), "an existing name is written");
    assertEquals(404, s.send(as, "GET", "/thirteen-char", null).statusCode(), "nothing was created");
  }

  @Test
  void aPathLongerThanTheLongestIs400AndSoIsAMoveThatLengthensOne() throws Exception {
    String as = TestServer.basic("lengths", "lengths-password");
    assertEquals(201, s.send(as, "MKCOL", "/aaaaaaaaaa", null).statusCode());
    assertEquals(201, s.send(as, "MKCOL", "/aaaaaaaaaa/bbbbbbbbbb", null).statusCode());
    HttpResponse<byte[]> deep = s.send(as, "MKCOL", "/aaaaaaaaaa/bbbbbbbbbb/cccccccccc", null); // 33 characters
    assertEquals(400, deep.statusCode());
    assertTrue(TestServer.text(deep).contains("a path may be at most 32 characters"), TestServer.text(deep));
    assertEquals(201, s.send(as, "PUT", "/aaaaaaaaaa/bbbbbbbbbb/ccccccccc", bytes(3)).statusCode(), "32 fit");

    assertEquals(201, s.send(as, "MKCOL", "/f", null).statusCode());
    assertEquals(201, s.send(as, "MKCOL", "/f/gggggggggg", null).statusCode());
    assertEquals(201, s.send(as, "PUT", "/f/gggggggggg/hhhhhhhhhh", bytes(3)).statusCode()); // 24 characters
    assertEquals(201, s.send(as, "MKCOL", "/kkkkkkkkkk", null).statusCode());
    HttpResponse<byte[]> move = s.send(as, "MOVE", "/f", null, "Destination", s.url("/kkkkkkkkkk/f"));
    assertEquals(400, move.statusCode(), "/kkkkkkkkkk/f/gggggggggg/hhhhhhhhhh would be 35 characters");
    assertTrue(TestServer.text(move).contains("/f/gggggggggg/hhhhhhhhhh would be longer"), TestServer.text(move));
    assertEquals(400, s.send(as, "COPY", "/f", null, "Destination", s.url("/kkkkkkkkkk/f")).statusCode());
    HttpResponse<byte[]> apiMove = s.api(as, "POST", "/move", new JsonObject().put("from", "/f").put("to", "/kkkkkkkkkk/f"));
    assertEquals(400, apiMove.statusCode(), TestServer.text(apiMove));
    assertEquals(400, s.send(as, "MOVE", "/f", null, "Destination", s.url("/fffffffffff")).statusCode(),
        "renamed in place, its paths grow too: /fffffffffff/gggggggggg/hhhhhhhhhh is 34");
    assertEquals(200, s.send(as, "GET", "/f/gggggggggg/hhhhhhhhhh", null).statusCode(), "nothing moved");
    assertEquals(201, s.send(as, "MKCOL", "/m", null).statusCode());
    assertEquals(201, s.send(as, "MOVE", "/f", null, "Destination", s.url("/m/f")).statusCode(),
        "a longer path that fits: /m/f/gggggggggg/hhhhhhhhhh is 26");
  }

  @Test
  void aFolderListingMoreThanTheMostIs507WithWhatToDoInstead() throws Exception {
    String as = TestServer.basic("lister", "lister-password");
    assertEquals(201, s.send(as, "MKCOL", "/many", null).statusCode());
    for (String name : new String[] {"a", "b", "c"}) {
      assertEquals(201, s.send(as, "PUT", "/many/" + name, bytes(3)).statusCode(), name);
    }
    assertEquals(207, s.send(as, "PROPFIND", "/many", null, "Depth", "1").statusCode(), "3 entries fit");
    assertEquals(201, s.send(as, "PUT", "/many/d", bytes(3)).statusCode());
    HttpResponse<byte[]> listing = s.send(as, "PROPFIND", "/many", null, "Depth", "1");
    assertEquals(507, listing.statusCode());
    assertTrue(TestServer.text(listing).contains("more than 3 files and folders") && TestServer.text(listing).contains("a page at a time"),
        TestServer.text(listing));
    assertEquals(507, s.send(as, "PROPFIND", "/remote.php/dav/files/lister/many", null, "Depth", "1").statusCode(),
        "the Nextcloud dialect");
    assertEquals(207, s.send(as, "PROPFIND", "/many", null, "Depth", "0").statusCode(), "the folder alone is listed");
    assertEquals(207, s.send(as, "PROPFIND", "/many/a", null, "Depth", "1").statusCode(), "a file is not a listing");
    HttpResponse<byte[]> paged = s.api(as, "GET", "/list?path=/many&limit=2", null);
    assertEquals(200, paged.statusCode(), TestServer.text(paged));
    assertEquals(2, TestServer.json(paged).getJsonArray("entries").size(), "the sync API lists a page at a time: " + TestServer.text(paged));
  }

  @Test
  void aFolderRestoredFromTheTrashDeeperThanTheMostIs403() throws Exception {
    String as = TestServer.basic("restorer", "restorer-password");
    for (String p : new String[] {"/r1", "/r1/r2", "/r1/r2/r3", "/x1", "/x1/x2"}) {
      assertEquals(201, s.send(as, "MKCOL", p, null).statusCode(), p);
    }
    assertEquals(204, s.send(as, "DELETE", "/r1", null).statusCode());
    HttpResponse<byte[]> trash = s.api(as, "GET", "/trash?path=/", null);
    long version = TestServer.json(trash).getJsonArray("trash").getJsonObject(0).getLong("version");
    HttpResponse<byte[]> deeper = s.api(as, "POST", "/trash/restore",
        new JsonObject().put("path", "/r1").put("version", version).put("to", "/x1/x2/r1"));
    assertEquals(403, deeper.statusCode(), "/x1/x2/r1/r2/r3 would be five deep: " + TestServer.text(deeper));
    assertTrue(TestServer.json(deeper).getString("message").contains("at most 4 folders deep"), TestServer.text(deeper));
    assertEquals(404, s.send(as, "PROPFIND", "/x1/x2/r1", null, "Depth", "0").statusCode(), "nothing restored");
    HttpResponse<byte[]> back = s.api(as, "POST", "/trash/restore", new JsonObject().put("path", "/r1").put("version", version));
    assertEquals(200, back.statusCode(), TestServer.text(back));
    assertEquals(207, s.send(as, "PROPFIND", "/r1/r2/r3", null, "Depth", "0").statusCode(), "restored where it was");
  }

  @Test
  void lengthsAndListingsAreCheckedWhenTheConfigurationIsRead() {
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("path.max.name", "256")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("path.max.length", "0")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("path.max.length", "4097")));
    assertThrows(ServerConfig.InvalidConfig.class,
        () -> ServerConfig.load(null, Map.of("webdav.max.propfind.entries", "-1")));
    ServerConfig defaults = ServerConfig.load(null, Map.of());
    assertEquals(255, defaults.limits().maxNameLength());
    assertEquals(4096, defaults.limits().maxPathLength());
    assertEquals(0, defaults.limits().maxListing());
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }
}
