package io.cairn.webdav;

import static io.cairn.webdav.SyncReplies.sync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.webdav.SyncReplies.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6578 collection synchronization through the production stack: each test works in a folder
 * of its own on one server with one namespace.
 */
class SyncCollectionTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  private static void put(String path, String content) {
    int status = dav.put(path, content.getBytes(StandardCharsets.UTF_8)).statusCode();
    assertTrue(status == 201 || status == 204, path + ": " + status);
  }

  private static void mkcol(String path) {
    assertEquals(201, dav.status("MKCOL", path), path);
  }

  private static void move(String from, String to) {
    int status = dav.status("MOVE", from, "Destination", dav.base + to);
    assertTrue(status == 201 || status == 204, from + " -> " + to + ": " + status);
  }

  @Test
  void anInitialSyncListsTheMembersAtTheAskedLevelWithTheirProperties() {
    mkcol("/init/");
    put("/init/a.txt", "a");
    mkcol("/init/d/");
    put("/init/d/b.txt", "b");
    Reply one = sync(dav, "/init/", "", "1", 0);
    assertEquals(Map.of("/init/a.txt", 200, "/init/d/", 200), one.members());
    assertNotNull(one.etags().get("/init/a.txt"), "getetag is reported as PROPFIND reports it");
    assertTrue(one.token().startsWith("urn:cairn:sync:"), one.token());
    Reply all = sync(dav, "/init/", "", "infinite", 0);
    assertEquals(Map.of("/init/a.txt", 200, "/init/d/", 200, "/init/d/b.txt", 200), all.members());
    assertEquals(Map.of(), sync(dav, "/init/", all.token(), "infinite", 0).members(), "nothing changed since");
  }

  @Test
  void anIncrementalSyncReportsExactlyTheChangedAndRemovedMembers() {
    mkcol("/inc/");
    put("/inc/a.txt", "a");
    put("/inc/x.txt", "x");
    mkcol("/inc/d/");
    put("/inc/d/inner.txt", "i");
    put("/inc/keep.txt", "k");
    String token = sync(dav, "/inc/", "", "1", 0).token();
    put("/inc/new.txt", "n");
    put("/inc/a.txt", "a2");
    assertEquals(204, dav.status("DELETE", "/inc/d/"));
    mkcol("/inc/e/");
    move("/inc/x.txt", "/inc/y.txt");
    put("/elsewhere.txt", "outside the collection");
    Reply r = sync(dav, "/inc/", token, "1", 0);
    Map<String, Integer> expected = new HashMap<>();
    expected.put("/inc/new.txt", 200);
    expected.put("/inc/a.txt", 200);
    expected.put("/inc/d/", 404);
    expected.put("/inc/e/", 200);
    expected.put("/inc/x.txt", 404);
    expected.put("/inc/y.txt", 200);
    assertEquals(expected, r.members());
    assertFalse(r.truncated());
    assertEquals(Map.of(), sync(dav, "/inc/", r.token(), "1", 0).members());
  }

  @Test
  void levelInfiniteReportsNestedChangesAndEverythingAMovedFolderBrings() {
    mkcol("/deep/");
    mkcol("/deep/p/");
    put("/deep/p/q.txt", "q");
    mkcol("/deep/p/sub/");
    String token = sync(dav, "/deep/", "", "infinite", 0).token();
    put("/deep/p/sub/r.txt", "r");
    Reply nested = sync(dav, "/deep/", token, "infinite", 0);
    assertEquals(Map.of("/deep/p/sub/r.txt", 200), nested.members());
    assertEquals(Map.of(), sync(dav, "/deep/", token, "1", 0).members(), "level 1 does not see below its members");
    move("/deep/p/", "/deep/m/");
    Reply moved = sync(dav, "/deep/", nested.token(), "infinite", 0);
    assertEquals(
        Map.of("/deep/p/", 404, "/deep/m/", 200, "/deep/m/q.txt", 200, "/deep/m/sub/", 200, "/deep/m/sub/r.txt", 200),
        moved.members());
  }

  @Test
  void aLimitTruncatesWith507AndTheTokenResumesWithoutLosingAChange() {
    mkcol("/lim/");
    for (int i = 0; i < 5; i++) {
      put("/lim/f" + i + ".txt", "v1");
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    String token = drain("/lim/", "", 2, seen, 3);
    assertEquals(Set.of("/lim/f0.txt", "/lim/f1.txt", "/lim/f2.txt", "/lim/f3.txt", "/lim/f4.txt"), seen.keySet());
    for (int i = 0; i < 5; i++) {
      put("/lim/g" + i + ".txt", "new");
    }
    put("/lim/f0.txt", "v2");
    assertEquals(204, dav.status("DELETE", "/lim/f1.txt"));
    move("/lim/f2.txt", "/lim/h.txt");
    seen.clear();
    drain("/lim/", token, 3, seen, 3);
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      expected.put("/lim/g" + i + ".txt", 200);
    }
    expected.put("/lim/f0.txt", 200);
    expected.put("/lim/f1.txt", 404);
    expected.put("/lim/f2.txt", 404);
    expected.put("/lim/h.txt", 200);
    assertEquals(expected, seen);
  }

  @Test
  void anInitialListingCutByTheLimitResumesDepthFirstWhereItStopped() {
    mkcol("/walk/");
    mkcol("/walk/a/");
    put("/walk/a/x.txt", "x");
    mkcol("/walk/a/y/");
    put("/walk/a/y/z.txt", "z");
    put("/walk/a%20b.txt", "sorts between a and a/");
    put("/walk/b.txt", "b");
    mkcol("/walk/c/");
    Map<String, Integer> seen = new LinkedHashMap<>();
    String token = drain("/walk/", "", "infinite", 1, seen, 7);
    assertEquals(
        java.util.List.of("/walk/a/", "/walk/a/x.txt", "/walk/a/y/", "/walk/a/y/z.txt", "/walk/a%20b.txt",
            "/walk/b.txt", "/walk/c/"),
        java.util.List.copyOf(seen.keySet()));
    put("/walk/a/y/late.txt", "l");
    assertEquals(Map.of("/walk/a/y/late.txt", 200), sync(dav, "/walk/", token, "infinite", 0).members());
  }

  /** Syncs until a report is not truncated, checking each against the limit; the last token. */
  private static String drain(String path, String token, int limit, Map<String, Integer> seen, int reports) {
    return drain(path, token, "1", limit, seen, reports);
  }

  private static String drain(
      String path, String token, String level, int limit, Map<String, Integer> seen, int reports) {
    String t = token;
    for (int i = 0; ; i++) {
      Reply r = sync(dav, path, t, level, limit);
      Map<String, Integer> members = new LinkedHashMap<>(r.members());
      if (r.truncated()) {
        assertEquals(507, members.remove(path), "the 507 names the Request-URI");
      }
      assertTrue(members.size() <= limit, members.toString());
      seen.putAll(members);
      t = r.token();
      if (!r.truncated()) {
        assertEquals(reports, i + 1, "reports needed");
        return t;
      }
    }
  }

  @Test
  void aFolderDeletedAndMadeAgainIsFirstRemovedThenNew() {
    mkcol("/again/");
    mkcol("/again/d/");
    put("/again/d/old.txt", "old");
    String token = sync(dav, "/again/", "", "infinite", 0).token();
    assertEquals(204, dav.status("DELETE", "/again/d/"));
    mkcol("/again/d/");
    put("/again/d/new.txt", "new");
    Reply first = sync(dav, "/again/", token, "infinite", 0);
    assertEquals(Map.of("/again/d/", 404, "/again/", 507), first.members());
    Reply second = sync(dav, "/again/", first.token(), "infinite", 0);
    assertEquals(Map.of("/again/d/", 200, "/again/d/new.txt", 200), second.members());
  }

  @Test
  void aFileDeletedAndSavedAgainIsOneChangeNotARemoval() {
    mkcol("/save/");
    put("/save/doc.txt", "v1");
    put("/save/other.txt", "o");
    String token = sync(dav, "/save/", "", "1", 0).token();
    assertEquals(204, dav.status("DELETE", "/save/doc.txt"));
    put("/save/doc.txt", "v2");
    put("/save/.tmp", "v2 of other");
    assertEquals(204, dav.status("DELETE", "/save/other.txt"));
    move("/save/.tmp", "/save/other.txt");
    Reply r = sync(dav, "/save/", token, "1", 0);
    assertEquals(Map.of("/save/doc.txt", 200, "/save/other.txt", 200, "/save/.tmp", 404), r.members());
  }

  @Test
  void tokensThatDoNotFitAreRefusedWithValidSyncToken() {
    mkcol("/tok1/");
    mkcol("/tok2/");
    String token = sync(dav, "/tok1/", "", "1", 0).token();
    assertRefused(SyncReplies.send(dav, "/tok2/", token, "1", 0), "a token of another collection");
    assertRefused(SyncReplies.send(dav, "/tok1/", "urn:cairn:sync:AAAA", "1", 0), "garbage");
    assertRefused(SyncReplies.send(dav, "/tok1/", "http://example.com/sync/1", "1", 0), "another server's");
    String ahead = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("1\n%2Ftok1\nj\t" + TestDav.NS + "\t999999\n").getBytes(StandardCharsets.UTF_8));
    assertRefused(SyncReplies.send(dav, "/tok1/", "urn:cairn:sync:" + ahead, "1", 0), "a position the journal never had");
  }

  static void assertRefused(HttpResponse<byte[]> r, String what) {
    assertEquals(403, r.statusCode(), what);
    assertTrue(TestDav.text(r).contains("valid-sync-token"), what + ": " + TestDav.text(r));
  }

  @Test
  void reportIsAdvertisedOnFoldersAndRefusedElsewhere() {
    mkcol("/adv/");
    put("/adv/f.txt", "f");
    HttpResponse<byte[]> props = dav.send(
        "PROPFIND", "/adv/",
        "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:supported-report-set/><D:sync-token/></D:prop></D:propfind>",
        "Depth", "0");
    String text = TestDav.text(props);
    assertTrue(text.contains("<D:sync-collection/>"), text);
    String token = text.replaceAll("(?s).*<D:sync-token>([^<]*)</D:sync-token>.*", "$1");
    assertNotEquals(text, token);
    put("/adv/g.txt", "g");
    assertEquals(Map.of("/adv/g.txt", 200), sync(dav, "/adv/", token, "1", 0).members(), "the property's token works");
    assertFalse(TestDav.text(dav.send("PROPFIND", "/adv/", (byte[]) null, "Depth", "0")).contains("sync-token"),
        "not in allprop");
    HttpResponse<byte[]> onFile = SyncReplies.send(dav, "/adv/f.txt", "", "1", 0);
    assertEquals(403, onFile.statusCode());
    assertTrue(TestDav.text(onFile).contains("supported-report"));
    HttpResponse<byte[]> other = dav.send("REPORT", "/adv/", "<D:expand-property xmlns:D=\"DAV:\"/>", "Depth", "0");
    assertEquals(403, other.statusCode());
    assertTrue(TestDav.text(other).contains("supported-report"));
    assertEquals(400, dav.send("REPORT", "/adv/", SyncReplies.body("", "1", 0), "Depth", "infinity").statusCode());
    assertEquals(400, dav.send("REPORT", "/adv/", SyncReplies.body("", "2", 0), "Depth", "0").statusCode());
    assertEquals(404, SyncReplies.send(dav, "/absent/", "", "1", 0).statusCode());
  }
}
