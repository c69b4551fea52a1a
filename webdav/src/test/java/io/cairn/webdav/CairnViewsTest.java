package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.files.Await;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.Expect;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only views under /.cairn/: old versions and the trash, through WebDAV, per user. */
class CairnViewsTest {
  private static final Caller ALICE =
      new Caller("alice", "home:alice", -1, List.of(new Caller.Share("team", "shared:team", true)));
  private static final Caller BOB = new Caller("bob", "home:bob", -1);
  private static final Pattern RESPONSE = Pattern.compile("<D:response><D:href>([^<]*)</D:href>(.*?)</D:response>", Pattern.DOTALL);
  private static final Pattern LENGTH = Pattern.compile("<D:getcontentlength>(\\d+)</D:getcontentlength>");
  private static final Pattern ETAG = Pattern.compile("<D:getetag>([^<]*)</D:getetag>");
  private static final Pattern JID = Pattern.compile("%20v(\\d+)");

  private static TestDav start(Caller caller, Path dir) throws Exception {
    Clock clock = Clock.systemUTC();
    TestDav dav = TestDav.startAs(caller, Files.createDirectories(dir.resolve("data")),
        b -> b.perUser().locks(new LocalLockManager(clock), clock));
    for (String ns : List.of("home:alice", "home:bob", "shared:team")) {
      dav.dav.site().files().ensureNamespace(ns);
    }
    return dav;
  }

  /** href → the response's properties, in the order the server wrote them. */
  private static Map<String, String> propfind(TestDav dav, String path, String depth) {
    HttpResponse<byte[]> r = dav.send("PROPFIND", path, (byte[]) null, "Depth", depth);
    assertEquals(207, r.statusCode(), path);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = RESPONSE.matcher(TestDav.text(r));
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static long lastJid(TestDav dav, String ns) {
    return Await.result(dav.journal.namespace(ns)).lastJid();
  }

  @Test
  void aFilesVersionsFolderListsEveryVersionWithItsSizeAndServesItsExactBytes(@TempDir Path dir) throws Exception {
    try (TestDav dav = start(ALICE, dir)) {
      assertEquals(201, dav.status("MKCOL", "/docs"));
      List<byte[]> written = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        byte[] body = bytes(1000 + 70_000 * i, i);
        written.add(body);
        assertTrue(dav.put("/docs/report.txt", body).statusCode() / 100 == 2);
      }
      Map<String, String> listing = propfind(dav, "/.cairn/versions/docs/report.txt/", "1");
      assertEquals(6, listing.size(), listing.keySet().toString());
      List<String> versions = new ArrayList<>(listing.keySet()).subList(1, 6);
      versions.sort(Comparator.comparingLong((String h) -> Long.parseLong(first(JID, h))).reversed());
      for (int back = 0; back < 5; back++) {
        String href = versions.get(back);
        assertTrue(href.matches("/\\.cairn/versions/docs/report\\.txt/\\d{4}-\\d\\d-\\d\\d%20\\d{6}%2C\\d{3}%20v\\d+\\.txt"), href);
        byte[] expected = written.get(4 - back);
        assertEquals(expected.length, Long.parseLong(first(LENGTH, listing.get(href))));
      }
      String threeBack = versions.get(3);
      HttpResponse<byte[]> get = dav.get(threeBack);
      assertEquals(200, get.statusCode());
      assertEquals(TestDav.sha256(written.get(1)), TestDav.sha256(get.body()));
      assertEquals(first(ETAG, listing.get(threeBack)), get.headers().firstValue("ETag").orElseThrow());
      HttpResponse<byte[]> range = dav.get(threeBack, "Range", "bytes=100-199");
      assertEquals(206, range.statusCode());
      assertArrayEquals(java.util.Arrays.copyOfRange(written.get(1), 100, 200), range.body());
      assertEquals(404, dav.get("/.cairn/versions/docs/report.txt/2001-01-01%20000000%20v2.txt").statusCode());
    }
  }

  @Test
  void theVersionsTreeMirrorsTheViewFoldersAndShares(@TempDir Path dir) throws Exception {
    try (TestDav dav = start(ALICE, dir)) {
      assertEquals(201, dav.status("MKCOL", "/docs"));
      assertEquals(201, dav.put("/docs/a.txt", "a".getBytes()).statusCode());
      assertEquals(201, dav.put("/team/plan.md", "plan".getBytes()).statusCode());
      assertTrue(propfind(dav, "/", "1").containsKey("/.cairn/"));
      assertEquals(List.of("/.cairn/", "/.cairn/versions/", "/.cairn/trash/"), List.copyOf(propfind(dav, "/.cairn/", "1").keySet()));
      Map<String, String> top = propfind(dav, "/.cairn/versions/", "1");
      assertTrue(top.keySet().containsAll(List.of("/.cairn/versions/docs/", "/.cairn/versions/team/")), top.keySet().toString());
      assertTrue(propfind(dav, "/.cairn/versions/docs/", "1").containsKey("/.cairn/versions/docs/a.txt/"));
      assertEquals(2, propfind(dav, "/.cairn/versions/team/plan.md/", "1").size());
      assertEquals(404, dav.status("PROPFIND", "/.cairn/nothing/", "Depth", "0"));
      assertEquals(404, dav.status("GET", "/.cairn/versions/nothing.txt/"));
    }
  }

  @Test
  void theTrashListsADeletedFolderWhoseFilesReadBackAsTheyWere(@TempDir Path dir) throws Exception {
    try (TestDav dav = start(ALICE, dir)) {
      byte[] a = bytes(90_000, 7);
      byte[] b = bytes(300, 8);
      assertEquals(201, dav.status("MKCOL", "/proj"));
      assertEquals(201, dav.status("MKCOL", "/proj/sub"));
      assertEquals(201, dav.put("/proj/a.bin", a).statusCode());
      assertEquals(201, dav.put("/proj/sub/b.txt", b).statusCode());
      assertEquals(201, dav.put("/notes.txt", "old notes".getBytes()).statusCode());
      assertEquals(204, dav.status("DELETE", "/proj"));
      assertEquals(204, dav.status("DELETE", "/notes.txt"));
      assertEquals(201, dav.put("/team/shared.txt", "shared".getBytes()).statusCode());
      assertEquals(204, dav.status("DELETE", "/team/shared.txt"));
      Map<String, String> trash = propfind(dav, "/.cairn/trash/", "1");
      String folder = trash.keySet().stream().filter(h -> h.startsWith("/.cairn/trash/proj%20%28deleted%20")).findFirst().orElseThrow();
      assertTrue(folder.matches("/\\.cairn/trash/proj%20%28deleted%20\\d{4}-\\d\\d-\\d\\d%20\\d{6}%2C\\d{3}%20v\\d+%29/"), folder);
      String notes = trash.keySet().stream().filter(h -> h.startsWith("/.cairn/trash/notes%20")).findFirst().orElseThrow();
      assertTrue(notes.endsWith("%29.txt"), notes);
      assertTrue(trash.containsKey("/.cairn/trash/team/"), trash.keySet().toString());
      assertEquals("old notes", TestDav.text(dav.get(notes)));
      Map<String, String> team = propfind(dav, "/.cairn/trash/team/", "1");
      String shared = team.keySet().stream().filter(h -> h.startsWith("/.cairn/trash/team/shared%20%28deleted%20")).findFirst().orElseThrow();
      assertEquals("shared", TestDav.text(dav.get(shared)));
      assertFalse(trash.keySet().stream().anyMatch(h -> h.contains("shared")), "a share's deletions are in its own folder");
      Map<String, String> inside = propfind(dav, folder, "1");
      assertEquals(List.of(folder, folder + "a.bin", folder + "sub/"), List.copyOf(inside.keySet()));
      assertEquals(a.length, Long.parseLong(first(LENGTH, inside.get(folder + "a.bin"))));
      assertEquals(TestDav.sha256(a), TestDav.sha256(dav.get(folder + "a.bin").body()));
      assertEquals(TestDav.sha256(b), TestDav.sha256(dav.get(folder + "sub/b.txt").body()));
      assertEquals(404, dav.status("GET", folder + "sub/none.txt"));
      assertEquals(404, dav.status("GET", "/.cairn/trash/proj%20(deleted%202001-01-01%20000000%20v1)/a.bin"));
    }
  }

  @Test
  void everyWriteUnderTheViewsIsForbiddenAndChangesNothing(@TempDir Path dir) throws Exception {
    try (TestDav dav = start(ALICE, dir)) {
      assertEquals(201, dav.put("/f.txt", "one".getBytes()).statusCode());
      assertEquals(204, dav.put("/f.txt", "two".getBytes()).statusCode());
      assertEquals(201, dav.put("/gone.txt", "x".getBytes()).statusCode());
      assertEquals(204, dav.status("DELETE", "/gone.txt"));
      String version = propfind(dav, "/.cairn/versions/f.txt/", "1").keySet().stream().skip(1).findFirst().orElseThrow();
      String deleted = propfind(dav, "/.cairn/trash/", "1").keySet().stream().filter(h -> h.contains("gone")).findFirst().orElseThrow();
      long before = lastJid(dav, "home:alice");
      String lock = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
          + "<D:locktype><D:write/></D:locktype></D:lockinfo>";
      String patch = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:set><D:prop>"
          + "<Z:a>1</Z:a></D:prop></D:set></D:propertyupdate>";
      String dest = dav.base + "/copied.txt";
      List<HttpResponse<byte[]>> answers = List.of(
          dav.put(version, "new".getBytes()),
          dav.put("/.cairn/versions/new.txt", "new".getBytes()),
          dav.send("DELETE", version, (byte[]) null),
          dav.send("DELETE", deleted, (byte[]) null),
          dav.send("DELETE", "/.cairn/", (byte[]) null),
          dav.send("MKCOL", "/.cairn/trash/x", (byte[]) null),
          dav.send("MOVE", deleted, (byte[]) null, "Destination", dest),
          dav.send("COPY", version, (byte[]) null, "Destination", dest),
          dav.send("COPY", "/f.txt", (byte[]) null, "Destination", dav.base + "/.cairn/trash/f.txt"),
          dav.send("MOVE", "/f.txt", (byte[]) null, "Destination", dav.base + "/.cairn/f.txt"),
          dav.send("PROPPATCH", version, patch, "Content-Type", "application/xml"),
          dav.send("LOCK", version, lock, "Content-Type", "application/xml", "Timeout", "Second-60"),
          dav.send("LOCK", "/.cairn/versions/new.txt", lock, "Content-Type", "application/xml"));
      for (HttpResponse<byte[]> r : answers) {
        assertEquals(403, r.statusCode(), r.request().method() + " " + r.uri());
        assertTrue(TestDav.text(r).contains("read-only"), TestDav.text(r));
      }
      assertEquals(before, lastJid(dav, "home:alice"));
      assertEquals(404, dav.status("GET", "/copied.txt"));
      assertEquals("two", TestDav.text(dav.get("/f.txt")));
      assertEquals(200, dav.status("GET", version));
      HttpResponse<byte[]> options = dav.send("OPTIONS", version, (byte[]) null);
      assertEquals("OPTIONS, GET, HEAD, PROPFIND", options.headers().firstValue("Allow").orElseThrow());
    }
  }

  @Test
  void anotherUserSeesNoneOfIt(@TempDir Path dir) throws Exception {
    try (TestDav dav = start(BOB, dir)) {
      FileService files = dav.dav.site().files();
      FilePath secret = new FilePath("home:alice", "/secret.txt");
      for (String text : List.of("first", "second")) {
        byte[] body = text.getBytes();
        files.put(ALICE, secret, files.upload(new ByteArrayInputStream(body), body.length), Expect.ANY);
      }
      files.mkdir(ALICE, new FilePath("home:alice", "/old"));
      files.delete(ALICE, new FilePath("home:alice", "/old"), Expect.ANY);
      long jid = files.history(ALICE, secret, 10).getFirst().jid();
      long deleted = files.trash(ALICE, new FilePath("home:alice", "/"), 10).getFirst().jid();
      assertEquals(List.of("/.cairn/trash/"), List.copyOf(propfind(dav, "/.cairn/trash/", "1").keySet()));
      assertEquals(List.of("/.cairn/versions/"), List.copyOf(propfind(dav, "/.cairn/versions/", "1").keySet()));
      assertEquals(404, dav.status("PROPFIND", "/.cairn/versions/secret.txt/", "Depth", "1"));
      assertEquals(404, dav.status("GET", "/.cairn/versions/secret.txt/2026-01-01%20000000%20v" + jid + ".txt"));
      // Alice's deleted version, asked for by bob under any date: her trash is not his.
      assertEquals(404, dav.status("PROPFIND", "/.cairn/trash/old%20(deleted%202026-01-01%20000000%20v" + deleted + ")/", "Depth", "0"));
      assertFalse(TestDav.text(dav.get("/.cairn/trash/")).contains("old"));
    }
  }
}
