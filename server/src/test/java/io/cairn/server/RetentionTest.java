package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.server.gc.GarbageCollector;
import io.cairn.storage.testkit.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a running server (SQLite, chunks on local disk) with a clock the test moves: versions
 * and trash past the policy are listed as expired, refuse to be read or restored (410), and the gc
 * run after the grace frees their chunks; the live version stays and fsck is clean.
 */
class RetentionTest {
  private static final String ALICE = TestServer.basic("alice", "alice-password");
  private final MutableClock clock = new MutableClock(Instant.now());
  @TempDir Path dir;
  private TestServer s;

  @BeforeEach
  void start() throws Exception {
    s = TestServer.start(dir, Map.of(
        "gc.interval.hours", "0", // runs only when the test asks
        "gc.grace.hours", "3",
        "retention.keep.all.days", "1",
        "retention.daily.until.days", "1", // past a day: one version a week
        "retention.trash.days", "2"), clock);
    s.server.accounts().addUser("alice", "alice-password", false);
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  @Test
  void expiredVersionsAndTrashAreListedAsSuchRefusedWith410AndTheirChunksGoAfterTheGrace() throws Exception {
    byte[] v1 = content("first draft, with a secret", 1);
    byte[] v2 = content("second draft", 2);
    byte[] v3 = content("final text", 3);
    byte[] gone = content("deleted file", 4);
    for (byte[] v : new byte[][] {v1, v2, v3}) {
      assertEquals(201 / 100, s.send(ALICE, "PUT", "/doc.txt", v).statusCode() / 100);
    }
    assertEquals(201, s.send(ALICE, "PUT", "/gone.txt", gone).statusCode());
    assertEquals(204, s.send(ALICE, "DELETE", "/gone.txt", null).statusCode());
    JsonArray history = history("/doc.txt");
    long jid3 = history.getJsonObject(0).getLong("jid");
    long jid2 = history.getJsonObject(1).getLong("jid");
    long jid1 = history.getJsonObject(2).getLong("jid");
    long deleted = trash().getJsonObject(0).getLong("version");

    clock.advance(Duration.ofDays(3));
    GarbageCollector.Summary first = s.server.collectGarbage();
    assertEquals(0, first.sweptChunks(), "expired a moment ago: kept through the grace: " + first);
    assertTrue(stored(v1) && stored(gone));

    history = history("/doc.txt");
    assertNull(history.getJsonObject(0).getBoolean("expired"), "the live version never expires");
    assertEquals(jid3, history.getJsonObject(0).getLong("jid"));
    for (int i = 1; i <= 2; i++) {
      JsonObject old = history.getJsonObject(i);
      assertEquals(true, old.getBoolean("expired"), old.encode());
      assertFalse(old.containsKey("hash"), "no content to name: " + old.encode());
    }
    String views = new String(s.send(ALICE, "PROPFIND", "/.cairn/versions/doc.txt/", null, "Depth", "1").body(),
        StandardCharsets.UTF_8);
    assertTrue(views.contains(" v" + jid3 + ".txt"), "the live version is listed: " + views);
    assertFalse(views.contains(" v" + jid1 + ".txt") || views.contains(" v" + jid2 + ".txt"),
        "/.cairn/versions/ leaves the expired ones out: " + views);
    HttpResponse<byte[]> content = s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/doc.txt&version=" + jid1, null);
    assertEquals(410, content.statusCode());
    assertEquals("gone", new JsonObject(new String(content.body(), StandardCharsets.UTF_8)).getString("error"));
    assertEquals(410, post("restore", new JsonObject().put("path", "/doc.txt").put("version", jid2)).statusCode());
    assertEquals(new JsonArray(), trash(), "expired trash is no longer listed");
    assertEquals(410, post("trash/restore", new JsonObject().put("path", "/gone.txt").put("version", deleted))
        .statusCode());

    clock.advance(Duration.ofHours(4));
    GarbageCollector.Summary second = s.server.collectGarbage();
    assertEquals(3, second.sweptChunks(), "v1, v2 and the deleted file's chunk: " + second);
    assertFalse(stored(v1) || stored(v2) || stored(gone));
    assertArrayEquals(v3, s.send(ALICE, "GET", "/doc.txt", null).body());
    s.close();
    s = null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.fsck(new String[] {"--data", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err);
    assertEquals(0, status, "fsck after retention and gc: " + out.toString(StandardCharsets.UTF_8));
  }

  private static byte[] content(String text, int seed) {
    return (text + " " + seed + " " + "x".repeat(2_000 + seed)).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the chunk of this small (one-chunk) content is in the local store. */
  private boolean stored(byte[] content) {
    String hex = ChunkHash.sha256(content).hex();
    return Files.exists(dir.resolve("chunks").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex));
  }

  private JsonArray history(String path) throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", "/.cairn/api/v1/history?path=" + path, null);
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("versions");
  }

  private JsonArray trash() throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", "/.cairn/api/v1/trash?path=/", null);
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("trash");
  }

  private HttpResponse<byte[]> post(String route, JsonObject body) throws Exception {
    return s.send(ALICE, "POST", "/.cairn/api/v1/" + route, body.encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
  }
}
