package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.users.Grant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync API over real HTTP on a real server (SQLite + local disk): changes since a cursor,
 * long poll, the event stream, commits with their conflict policies, history, content and
 * restore, strict input, and one user's content invisible to another.
 */
class SyncApiTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String BOB = TestServer.basic("bob", "bob-password");
  static final String API = "/.cairn/api/v1/";

  @BeforeAll
  static void start() {
    s = TestServer.start(dir);
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
    s.server.accounts().createShared("team");
    s.server.accounts().grant("team", "alice", Grant.Access.WRITE);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> get(String who, String pathAndQuery) throws Exception {
    return s.send(who, "GET", API + pathAndQuery, null);
  }

  static HttpResponse<byte[]> post(String who, String route, JsonObject body) throws Exception {
    return s.send(who, "POST", API + route, body.encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  static String cursor(String who) throws Exception {
    HttpResponse<byte[]> r = get(who, "cursor");
    assertEquals(200, r.statusCode());
    return json(r).getString("cursor");
  }

  static String q(String v) {
    return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  static void put(String who, String path, byte[] body) throws Exception {
    int status = s.send(who, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** The change page after {@code cursor}, blocklists included. */
  static JsonObject changes(String who, String cursor) throws Exception {
    HttpResponse<byte[]> r = get(who, "changes?blocklist=1&cursor=" + q(cursor));
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    return json(r);
  }

  @Test
  void changesSinceACursorNameEveryKindOnceAcrossHomeAndShare() throws Exception {
    String c = cursor(ALICE);
    put(ALICE, "/c1.txt", "one".getBytes());
    assertEquals(201, s.send(ALICE, "MKCOL", "/c-dir", null).statusCode());
    assertEquals(201, s.send(ALICE, "MOVE", "/c1.txt", null, "Destination", s.url("/c-dir/c2.txt")).statusCode());
    put(ALICE, "/team/shared.txt", "shared".getBytes());
    assertEquals(204, s.send(ALICE, "DELETE", "/c-dir/c2.txt", null).statusCode());
    JsonObject page = changes(ALICE, c);
    List<String> seen = new ArrayList<>();
    for (Object o : page.getJsonArray("changes")) {
      JsonObject ch = (JsonObject) o;
      seen.add(ch.getString("kind") + " " + ch.getString("path") + (ch.containsKey("from") ? " from " + ch.getString("from") : ""));
      assertEquals("alice", ch.getString("author"));
    }
    // Each namespace's changes come in journal order (docs/api.md); between the home and the share
    // only the time of each commit decides, and two commits in one millisecond may come either way.
    assertEquals(List.of("file /c1.txt", "folder /c-dir", "moved /c-dir/c2.txt from /c1.txt", "deleted /c-dir/c2.txt"),
        seen.stream().filter(x -> !x.contains("/team/")).toList(), "the home's, in order");
    assertEquals(List.of("file /team/shared.txt"), seen.stream().filter(x -> x.contains("/team/")).toList(), "the share's");
    JsonObject file = page.getJsonArray("changes").getJsonObject(0);
    assertEquals(3, file.getLong("size"));
    assertEquals(3, file.getJsonArray("blocklist").getJsonObject(0).getLong("size"));
    assertFalse(page.getBoolean("has_more"));
    assertEquals(0, changes(ALICE, page.getString("cursor")).getJsonArray("changes").size(), "nothing twice");
  }

  @Test
  void smallPagesSeeEveryChangeExactlyOnceInJidOrder() throws Exception {
    String c = cursor(ALICE);
    for (int i = 0; i < 25; i++) {
      put(ALICE, i % 2 == 0 ? "/p" + i + ".txt" : "/team/p" + i + ".txt", ("v" + i).getBytes());
    }
    List<String> seen = new ArrayList<>();
    boolean more = true;
    for (int pages = 0; more && pages < 100; pages++) {
      JsonObject page = json(get(ALICE, "changes?limit=4&cursor=" + q(c)));
      page.getJsonArray("changes").forEach(o -> seen.add(((JsonObject) o).getString("path")));
      assertTrue(page.getJsonArray("changes").size() <= 4);
      c = page.getString("cursor");
      more = page.getBoolean("has_more");
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add(i % 2 == 0 ? "/p" + i + ".txt" : "/team/p" + i + ".txt");
    }
    assertEquals(expected.stream().sorted().toList(), seen.stream().sorted().toList());
    assertEquals(expected.stream().filter(p -> p.startsWith("/team")).toList(), seen.stream().filter(p -> p.startsWith("/team")).toList(), "jid order per namespace");
  }

  @Test
  void aLongPollAnswersAsSoonAsAChangeLands() throws Exception {
    String c = cursor(ALICE);
    CompletableFuture<HttpResponse<byte[]>> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return get(ALICE, "changes?wait=30&cursor=" + q(c));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertFalse(poll.isDone(), "waits while nothing changed");
    put(ALICE, "/polled.txt", "x".getBytes());
    HttpResponse<byte[]> r = poll.get(10, TimeUnit.SECONDS);
    assertEquals("/polled.txt", json(r).getJsonArray("changes").getJsonObject(0).getString("path"));
  }

  @Test
  void theEventStreamCarriesEachChangeWithACursorThatResumes() throws Exception {
    String c = cursor(ALICE);
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.url(API + "events?cursor=" + q(c))))
        .header("Authorization", ALICE).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<InputStream> r = s.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    put(ALICE, "/e1.txt", "1".getBytes());
    put(ALICE, "/e2.txt", "2".getBytes());
    List<String[]> events = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String id = null;
      for (String line = in.readLine(); line != null && events.size() < 2; line = in.readLine()) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          events.add(new String[] {id, new JsonObject(line.substring(6)).getString("path")});
        }
      }
    }
    assertEquals("/e1.txt", events.get(0)[1]);
    assertEquals("/e2.txt", events.get(1)[1]);
    // Resuming from the first event's id replays exactly the second.
    JsonObject rest = changes(ALICE, events.get(0)[0]);
    assertEquals(List.of("/e2.txt"), rest.getJsonArray("changes").stream().map(o -> ((JsonObject) o).getString("path")).toList());
  }

  /** The blocklist of the file at {@code path}, from the changes feed. */
  static JsonArray blocklistOf(String who, String path, byte[] content) throws Exception {
    String c = cursor(who);
    put(who, path, content);
    JsonArray ch = changes(who, c).getJsonArray("changes");
    return ch.getJsonObject(ch.size() - 1).getJsonArray("blocklist");
  }

  @Test
  void aCommitOfKnownChunksMakesAFileAndUnknownOnesAreNamedAndCommitNothing() throws Exception {
    byte[] content = new byte[300_000];
    new Random(1).nextBytes(content);
    JsonArray blocks = blocklistOf(ALICE, "/src.bin", content);
    JsonObject ok = json(post(ALICE, "commit", new JsonObject().put("path", "/copy.bin").put("blocklist", blocks).put("size", content.length).put("mtime", 1_700_000_000_000L)));
    assertEquals("/copy.bin", ok.getString("path"));
    assertEquals(1_700_000_000_000L, ok.getLong("mtime"));
    assertEquals(sha256(content), sha256(s.send(ALICE, "GET", "/copy.bin", null).body()));
    String unknown = "ab".repeat(32);
    HttpResponse<byte[]> missing = post(ALICE, "commit", new JsonObject().put("path", "/ghost.bin")
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", unknown).put("size", 10))).put("size", 10));
    assertEquals(409, missing.statusCode());
    assertEquals("missing_chunks", json(missing).getString("error"));
    assertEquals(new JsonArray().add(unknown), json(missing).getJsonArray("missing"));
    assertEquals(404, s.send(ALICE, "GET", "/ghost.bin", null).statusCode(), "nothing committed");
  }

  @Test
  void twoCommitsOnOneBaseKeepBothOrFailAndIdenticalContentIsNeverAConflict() throws Exception {
    byte[] a = "version A".getBytes();
    byte[] b = "version B".getBytes();
    byte[] c2 = "version C".getBytes();
    JsonArray blocksA = blocklistOf(ALICE, "/tmp-a", a);
    JsonArray blocksB = blocklistOf(ALICE, "/tmp-b", b);
    JsonArray blocksC = blocklistOf(ALICE, "/tmp-c", c2);
    JsonObject first = json(post(ALICE, "commit", new JsonObject().put("path", "/doc.txt").put("blocklist", blocksA).put("size", a.length).put("base", null)));
    long base = first.getLong("version");
    JsonObject mine = json(post(ALICE, "commit", new JsonObject().put("path", "/doc.txt").put("blocklist", blocksB).put("size", b.length).put("base", base)));
    assertNotEquals(base, mine.getLong("version"));
    JsonObject theirs = json(post(ALICE, "commit", new JsonObject().put("path", "/doc.txt").put("blocklist", blocksC).put("size", c2.length).put("base", base).put("on_conflict", "keep-both")));
    assertTrue(theirs.getBoolean("conflict"));
    assertTrue(theirs.getString("path").matches("/doc \\(conflicted copy \\d{4}-\\d\\d-\\d\\d \\d{6} alice\\)\\.txt"), theirs.getString("path"));
    assertEquals("version B", new String(s.send(ALICE, "GET", "/doc.txt", null).body()));
    assertEquals("version C", new String(s.send(ALICE, "GET", theirs.getString("path").replace(" ", "%20"), null).body()));
    HttpResponse<byte[]> failed = post(ALICE, "commit", new JsonObject().put("path", "/doc.txt").put("blocklist", blocksC).put("size", c2.length).put("base", base));
    assertEquals(412, failed.statusCode());
    assertEquals(mine.getLong("version"), json(failed).getJsonObject("current").getLong("version"));
    assertEquals("version B", new String(s.send(ALICE, "GET", "/doc.txt", null).body()), "nothing changed");
    JsonObject same = json(post(ALICE, "commit", new JsonObject().put("path", "/doc.txt").put("blocklist", blocksB).put("size", b.length).put("base", base)));
    assertFalse(same.getBoolean("changed"), "the content already current: no version, no conflict");
    assertEquals(mine.getLong("version"), same.getLong("version"));
    JsonArray history = json(get(ALICE, "history?path=/doc.txt")).getJsonArray("versions");
    assertEquals(2, history.size(), history.encode());
  }

  @Test
  void restoreBringsBackTheExactBytesOfAVersionThreeBack() throws Exception {
    List<byte[]> versions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] v = new byte[200_000 + i];
      new Random(10 + i).nextBytes(v);
      versions.add(v);
      put(ALICE, "/r.bin", v);
    }
    JsonArray history = json(get(ALICE, "history?path=/r.bin")).getJsonArray("versions");
    assertEquals(4, history.size());
    long oldest = history.getJsonObject(3).getLong("version");
    HttpResponse<byte[]> old = get(ALICE, "content?path=/r.bin&version=" + oldest);
    assertEquals(sha256(versions.get(0)), sha256(old.body()));
    HttpResponse<byte[]> range = s.send(ALICE, "GET", API + "content?path=/r.bin&version=" + oldest, null, "Range", "bytes=1000-1999");
    assertEquals(206, range.statusCode());
    assertEquals(sha256(java.util.Arrays.copyOfRange(versions.get(0), 1000, 2000)), sha256(range.body()));
    JsonObject restored = json(post(ALICE, "restore", new JsonObject().put("path", "/r.bin").put("version", oldest)));
    assertTrue(restored.getLong("version") > history.getJsonObject(0).getLong("version"), "a new version");
    assertEquals(sha256(versions.get(0)), sha256(s.send(ALICE, "GET", "/r.bin", null).body()));
    assertEquals(5, json(get(ALICE, "history?path=/r.bin")).getJsonArray("versions").size(), "nothing rewritten");
    JsonObject again = json(post(ALICE, "restore", new JsonObject().put("path", "/r.bin").put("version", oldest)));
    assertFalse(again.getBoolean("changed"), "restoring the content already current makes no version");
    assertEquals(restored.getLong("version"), again.getLong("version"));
    JsonObject elsewhere = json(post(ALICE, "restore", new JsonObject().put("path", "/r.bin").put("version", history.getJsonObject(1).getLong("version")).put("to", "/r-old.bin")));
    assertEquals("/r-old.bin", elsewhere.getString("path"));
    assertEquals(sha256(versions.get(2)), sha256(s.send(ALICE, "GET", "/r-old.bin", null).body()));
  }

  @Test
  void badInputIsAClearJson400AndCommitsNothing() throws Exception {
    String c = cursor(ALICE);
    byte[] one = "x".getBytes();
    JsonArray blocks = blocklistOf(ALICE, "/bad-src", one);
    String after = cursor(ALICE);
    List<HttpResponse<byte[]>> answers = List.of(
        s.send(ALICE, "POST", API + "commit", "{not json".getBytes(), "Content-Type", "application/json"),
        post(ALICE, "commit", new JsonObject().put("path", "/bad").put("blocklist", blocks).put("size", 1).put("colour", "red")),
        post(ALICE, "commit", new JsonObject().put("path", "/bad").put("blocklist", new JsonArray().add(new JsonObject().put("hash", "XYZ").put("size", 1))).put("size", 1)),
        post(ALICE, "commit", new JsonObject().put("path", "/bad").put("blocklist", blocks).put("size", 2)),
        post(ALICE, "commit", new JsonObject().put("path", "no-slash").put("blocklist", blocks).put("size", 1)),
        post(ALICE, "commit", new JsonObject().put("path", "/a/../b").put("blocklist", blocks).put("size", 1)),
        get(ALICE, "changes?cursor=garbage"),
        get(BOB, "changes?cursor=" + q(c)),
        get(ALICE, "changes?limit=0&cursor=" + q(c)));
    for (HttpResponse<byte[]> r : answers) {
      assertEquals(400, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      JsonObject body = json(r);
      assertTrue(body.getString("error").matches("bad_request|bad_hash|bad_cursor|invalid"), body.encode());
      assertFalse(body.getString("message").contains("Exception"), body.encode());
    }
    assertEquals(0, changes(ALICE, after).getJsonArray("changes").size(), "nothing committed");
  }

  @Test
  void anotherUserCanNeitherListReadRestoreNorCommitTheFirstUsersContent() throws Exception {
    byte[] secret = "alice's secret".getBytes();
    JsonArray blocks = blocklistOf(ALICE, "/secret.txt", secret);
    long version = json(get(ALICE, "history?path=/secret.txt")).getJsonArray("versions").getJsonObject(0).getLong("version");
    String bobStart = cursor(BOB);
    assertEquals(404, get(BOB, "history?path=/secret.txt").statusCode());
    assertEquals(404, get(BOB, "content?path=/secret.txt&version=" + version).statusCode());
    assertEquals(404, post(BOB, "restore", new JsonObject().put("path", "/secret.txt").put("version", version)).statusCode());
    assertEquals(404, get(BOB, "history?path=/team/p1.txt").statusCode(), "no grant, no share");
    assertEquals(0, changes(BOB, bobStart).getJsonArray("changes").size());
    assertEquals(400, get(BOB, "changes?cursor=" + q(cursor(ALICE))).statusCode());
  }

  @Test
  void chunksAreScopedToWhatTheCallerCanReadAndMustMatchTheirName() throws Exception {
    byte[] mine = "a chunk of alice's own".getBytes();
    String hash = sha256(mine);
    JsonObject ask = new JsonObject().put("hashes", new JsonArray().add(hash));
    assertEquals(new JsonArray().add(hash), json(post(ALICE, "chunks/missing", ask)).getJsonArray("missing"));
    assertEquals(201, s.send(ALICE, "PUT", API + "chunks/" + hash, mine).statusCode());
    assertEquals(new JsonArray(), json(post(ALICE, "chunks/missing", ask)).getJsonArray("missing"), "hers within the hour");
    assertEquals(sha256(mine), sha256(get(ALICE, "chunks/" + hash).body()));
    assertEquals(new JsonArray().add(hash), json(post(BOB, "chunks/missing", ask)).getJsonArray("missing"), "bob learns nothing");
    assertEquals(404, get(BOB, "chunks/" + hash).statusCode());
    HttpResponse<byte[]> claim = post(BOB, "commit", new JsonObject().put("path", "/stolen.txt")
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", hash).put("size", mine.length))).put("size", mine.length));
    assertEquals(409, claim.statusCode(), "naming alice's chunk does not make it bob's");
    assertEquals(404, s.send(BOB, "GET", "/stolen.txt", null).statusCode());
    HttpResponse<byte[]> wrong = s.send(ALICE, "PUT", API + "chunks/" + "0".repeat(64), mine);
    assertEquals(400, wrong.statusCode());
    assertEquals(400, s.send(ALICE, "PUT", API + "chunks/NOTAHASH", mine).statusCode());
    byte[] huge = new byte[(4 << 20) + 1];
    // With Expect: 100-continue, as a client sending a large body should: the server refuses on
    // the head and the body is never sent (without it, the refusal races the client's writing).
    HttpRequest tooLarge = HttpRequest.newBuilder(URI.create(s.url(API + "chunks/" + sha256(huge))))
        .header("Authorization", ALICE).expectContinue(true).timeout(Duration.ofSeconds(60))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
    assertEquals(413, s.client.send(tooLarge, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
  }

  @Test
  void aDeletedFolderOfAHundredFilesComesBackWholeFromTheTrash() throws Exception {
    assertEquals(201, s.send(ALICE, "MKCOL", "/album", null).statusCode());
    java.util.Map<String, String> sums = new java.util.HashMap<>();
    for (int i = 0; i < 100; i++) {
      byte[] photo = new byte[1000 + i];
      new Random(i).nextBytes(photo);
      put(ALICE, "/album/p" + i + ".jpg", photo);
      sums.put("/album/p" + i + ".jpg", sha256(photo));
    }
    JsonObject deleted = json(post(ALICE, "delete", new JsonObject().put("path", "/album")));
    assertEquals(404, s.send(ALICE, "GET", "/album/p1.jpg", null).statusCode());
    JsonArray trash = json(get(ALICE, "trash?path=/")).getJsonArray("trash");
    JsonObject item = trash.stream().map(o -> (JsonObject) o).filter(t -> t.getString("path").equals("/album")).findFirst().orElseThrow();
    assertEquals(100, item.getLong("files"));
    assertEquals(deleted.getLong("version"), item.getLong("version"));
    assertEquals(0, json(get(BOB, "trash?path=/")).getJsonArray("trash").size(), "bob's trash is his own");
    assertEquals(404, post(BOB, "trash/restore", new JsonObject().put("path", "/album").put("version", item.getLong("version"))).statusCode());
    JsonObject back = json(post(ALICE, "trash/restore", new JsonObject().put("path", "/album").put("version", item.getLong("version"))));
    assertEquals("folder", back.getString("kind"));
    for (var e : sums.entrySet()) {
      assertEquals(e.getValue(), sha256(s.send(ALICE, "GET", e.getKey(), null).body()), e.getKey());
    }
    assertEquals(412, post(ALICE, "trash/restore", new JsonObject().put("path", "/album").put("version", item.getLong("version"))).statusCode(), "the target is taken now");
  }

  @Test
  void emptyingTheTrashEndsRestoresBelowTheFolderOnlyAndNeedsWriteAccess() throws Exception {
    s.server.accounts().addUser("erin", "erin-password", false);
    s.server.accounts().createShared("gallery");
    s.server.accounts().grant("gallery", "erin", Grant.Access.READ);
    s.server.accounts().grant("gallery", "alice", Grant.Access.WRITE);
    String erin = TestServer.basic("erin", "erin-password");
    for (String folder : List.of("/keep", "/drop")) {
      assertEquals(201, s.send(erin, "MKCOL", folder, null).statusCode());
      put(erin, folder + "/f.txt", folder.getBytes());
    }
    long kept = json(post(erin, "delete", new JsonObject().put("path", "/keep/f.txt"))).getLong("version");
    long dropped = json(post(erin, "delete", new JsonObject().put("path", "/drop/f.txt"))).getLong("version");
    put(ALICE, "/gallery/g.txt", "g".getBytes());
    json(post(ALICE, "delete", new JsonObject().put("path", "/gallery/g.txt")));
    int alicesTrash = json(get(ALICE, "trash?path=/&limit=1000")).getJsonArray("trash").size();

    JsonObject emptied = json(post(erin, "trash/empty", new JsonObject().put("path", "/drop")));
    assertEquals(new JsonObject().put("path", "/drop").put("emptied", 1), emptied);
    JsonArray left = json(get(erin, "trash?path=/")).getJsonArray("trash");
    assertEquals(List.of("/keep/f.txt"), left.stream().map(o -> ((JsonObject) o).getString("path")).toList());
    assertEquals(410, post(erin, "trash/restore", new JsonObject().put("path", "/drop/f.txt").put("version", dropped)).statusCode());
    assertEquals(200, post(erin, "trash/restore", new JsonObject().put("path", "/keep/f.txt").put("version", kept)).statusCode());
    assertEquals(403, post(erin, "trash/empty", new JsonObject().put("path", "/gallery")).statusCode(), "a read-only share");
    assertEquals(403, post(ALICE, "trash/empty", new JsonObject().put("path", "/gallery")).statusCode(),
        "a writable share's trash holds what others deleted: retention empties it");
    assertEquals(1, json(get(ALICE, "trash?path=/gallery")).getJsonArray("trash").size());
    assertEquals(400, post(erin, "trash/empty", new JsonObject()).statusCode(), "the folder must be named");
    assertEquals(200, post(erin, "trash/empty", new JsonObject().put("path", "/")).statusCode());
    assertEquals(alicesTrash, json(get(ALICE, "trash?path=/&limit=1000")).getJsonArray("trash").size(), "alice's trash is hers");
  }

  @Test
  void historyFollowsAFileThroughARename() throws Exception {
    put(ALICE, "/draft.txt", "first".getBytes());
    put(ALICE, "/draft.txt", "second".getBytes());
    assertEquals(201, s.send(ALICE, "MOVE", "/draft.txt", null, "Destination", s.url("/final.txt")).statusCode());
    JsonArray versions = json(get(ALICE, "history?path=/final.txt")).getJsonArray("versions");
    List<String> kinds = versions.stream().map(o -> ((JsonObject) o).getString("kind")).toList();
    assertEquals(List.of("moved", "file", "file"), kinds);
    long first = versions.getJsonObject(2).getLong("version");
    assertEquals("first", new String(get(ALICE, "content?path=/final.txt&version=" + first).body()));
    JsonArray page = json(get(ALICE, "history?path=/final.txt&limit=1&before=" + versions.getJsonObject(0).getLong("version"))).getJsonArray("versions");
    assertEquals(versions.getJsonObject(1).getLong("version"), page.getJsonObject(0).getLong("version"), "paging with before");
  }

  @Test
  void aStreamEndsWithResetWhenAGrantItCoversIsRemovedAndALongPollWhenItsCredentialsAreRevoked() throws Exception {
    s.server.accounts().addUser("carol", "carol-password", false);
    s.server.accounts().createShared("club");
    s.server.accounts().grant("club", "carol", Grant.Access.READ);
    String carol = TestServer.basic("carol", "carol-password");
    String c = cursor(carol);
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.url(API + "events?cursor=" + q(c))))
        .header("Authorization", carol).timeout(Duration.ofSeconds(60)).GET().build();
    HttpResponse<InputStream> r = s.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    s.server.accounts().revokeGrant("club", "carol");
    s.server.authenticator().forget("carol");
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    }
    assertTrue(lines.contains("event: reset"), "the stream said why it ended: " + lines);
    assertEquals(410, get(carol, "changes?cursor=" + q(c)).statusCode(), "and the cursor cannot be served any more");
  }

  @Test
  void aCommitThatGivesAChunkAnotherSizeIsRefusedAndCommitsNothing() throws Exception {
    byte[] real = new byte[4096];
    new Random(44).nextBytes(real);
    String hash = sha256(real);
    assertEquals(201, s.send(ALICE, "PUT", API + "chunks/" + hash, real).statusCode());
    HttpResponse<byte[]> lie = post(ALICE, "commit", new JsonObject().put("path", "/small-lie.bin")
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", hash).put("size", 1))).put("size", 1));
    assertEquals(400, lie.statusCode(), "a 4 KiB chunk committed as 1 byte would dodge the quota");
    assertEquals(404, s.send(ALICE, "GET", "/small-lie.bin", null).statusCode());
    JsonObject honest = json(post(ALICE, "commit", new JsonObject().put("path", "/small-lie.bin")
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", hash).put("size", real.length))).put("size", real.length)));
    assertEquals(real.length, honest.getLong("size"));
  }

  @Test
  void badEscapesAreJson400sAndRangesFollowRfc9110() throws Exception {
    TestServer.Raw query = s.raw(API + "entry?path=%zz", "GET", ALICE, null, null);
    assertEquals(400, query.status(), query.head());
    assertEquals("bad_request", new JsonObject(query.body()).getString("error"));
    TestServer.Raw path = s.raw(API + "chunks/%zz", "GET", ALICE, null, null);
    assertEquals(400, path.status(), path.head());
    assertEquals("bad_request", new JsonObject(path.body()).getString("error"));
    put(ALICE, "/ranged.txt", "0123456789".getBytes());
    String url = API + "content?path=/ranged.txt";
    assertEquals(200, s.send(ALICE, "GET", url, null, "Range", "bytes=5-3").statusCode(), "an invalid range is ignored");
    HttpResponse<byte[]> tail = s.send(ALICE, "GET", url, null, "Range", "bytes=7-99999999999999999999");
    assertEquals(206, tail.statusCode());
    assertEquals("789", new String(tail.body()));
    assertEquals(416, s.send(ALICE, "GET", url, null, "Range", "bytes=10-").statusCode());
    HttpResponse<byte[]> stale = s.send(ALICE, "GET", url, null, "Range", "bytes=0-1", "If-Range", "\"not-the-etag\"");
    assertEquals(200, stale.statusCode(), "If-Range that no longer matches: the whole content");
    assertEquals("0123456789", new String(stale.body()));
  }

  @Test
  void homePathsHiddenBehindANewlyGrantedShareAreNotReportedUnderTheSharesName() throws Exception {
    s.server.accounts().addUser("dave", "dave-password", false);
    s.server.accounts().createShared("band");
    String dave = TestServer.basic("dave", "dave-password");
    String c = cursor(dave);
    s.server.accounts().grant("band", "dave", Grant.Access.READ);
    s.server.authenticator().forget("dave");
    // A grant is refused while the home holds /band; a home folder behind a share is what a server
    // from before that check may hold: made here in the journal directly.
    io.cairn.files.Await.result(s.server.journal().commit("home:dave", new io.cairn.storage.Change.Mkdir("/band"), "dave"));
    io.cairn.files.Await.result(
        s.server.journal().commit("home:dave", new io.cairn.storage.Change.Mkdir("/band/private"), "dave"));
    List<String> paths = changes(dave, c).getJsonArray("changes").stream().map(o -> ((JsonObject) o).getString("path")).toList();
    assertFalse(paths.contains("/band/private"), "that path names the share now: " + paths);
  }

  @Test
  void anEventStreamWithoutACursorNamesWhereItStarted() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.url(API + "events")))
        .header("Authorization", ALICE).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<InputStream> r = s.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertEquals("retry: 2000", in.readLine());
      String id = in.readLine();
      assertTrue(id.startsWith("id: c1."), "a reconnect without any event resumes from the start: " + id);
    }
  }
}
