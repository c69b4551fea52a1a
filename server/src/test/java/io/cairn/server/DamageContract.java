package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.storage.users.UserNames;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code cairn fsck --repair} and what a reader then gets (ADR 0016), on one backend pair: a
 * chunk deleted and a chunk overwritten behind the server's back are reported with the paths that
 * need them, recorded as damaged by the repair, and from then every read of content naming them
 * (WebDAV GET, the sync API's content, version, restore and chunk reads) answers a clear DAMAGED
 * error instead of short content; fsck then reports the damage as known, a second repair changes
 * nothing, and a chunk put back is found sound and its record cleared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DamageContract {
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String NS = UserNames.home("alice");
  /** Small enough to be one chunk each, so a chunk's name is its content's SHA-256. */
  static final byte[] FIRST = random(11, 90_000);
  static final byte[] SECOND = random(12, 95_000);
  static final byte[] OTHER = random(13, 80_000);

  Path dir;
  Map<String, String> storage;
  TestServer s;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults in dir). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  /** Where this backend keeps the bytes of chunk {@code hash}, to damage it behind the server's back. */
  abstract Path chunkFile(ChunkHash hash);

  /** True when a repair needs the server stopped (a local chunk directory is the server's alone). */
  abstract boolean repairNeedsTheServerStopped();

  /** What one fsck run printed and answered. */
  record Run(int status, String out) {
    List<String> lines(String kind) {
      return out.lines().filter(l -> l.startsWith(kind + " ")).sorted().toList();
    }
  }

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("cairn-damage");
    storage = new HashMap<>(storage(dir));
    storage.put("scrub.rate.bytes.per.second", "0"); // fsck alone finds the damage here
    s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    s.server.accounts().addUser("alice", "alice-password", false);
    put("/a.bin", FIRST);   // jid 1: a version only
    put("/a.bin", SECOND);  // jid 2: live
    put("/other.bin", OTHER);
  }

  @AfterAll
  void stop() throws Exception {
    if (s != null) {
      s.close();
    }
    SyncClientConflictTest.deleteTree(dir);
  }

  @Test
  @Order(1)
  void aDeletedAndAnOverwrittenChunkAreReportedWithThePathsThatNeedThem() throws Exception {
    Files.delete(chunkFile(ChunkHash.sha256(FIRST)));
    Path second = chunkFile(ChunkHash.sha256(SECOND));
    byte[] flipped = Files.readAllBytes(second);
    flipped[1000] ^= (byte) 0xff; // same length, one byte different
    Files.write(second, flipped);
    Run r = fsck("--verify");
    assertEquals(1, r.status(), r.out());
    assertEquals(List.of("MISSING chunk " + ChunkHash.sha256(FIRST).hex() + " needed by " + NS + ":/a.bin (version jid 1)"),
        r.lines("MISSING"));
    List<String> corrupt = r.lines("CORRUPT");
    assertEquals(2, corrupt.size(), r.out());
    assertTrue(corrupt.get(0).startsWith("CORRUPT chunk " + ChunkHash.sha256(SECOND).hex() + " needed by " + NS + ":/a.bin (live)"), corrupt.get(0));
    assertTrue(r.out().contains("; 3 problems"), r.out());
  }

  @Test
  @Order(2)
  void aRepairRecordsTheDamageAndReadsAnswerAClearErrorNotShortContent() throws Exception {
    if (repairNeedsTheServerStopped()) {
      s.close();
      s = null;
    }
    Run r = fsck("--verify", "--repair");
    assertEquals(1, r.status(), "damage remains, now recorded: " + r.out());
    assertEquals(2, r.lines("REPAIRED").size(), r.out());
    assertTrue(r.out().contains("; 0 problems, 3 known damaged (recorded in the journal), 2 chunk records repaired"), r.out());
    if (s == null) {
      s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    }
    HttpResponse<byte[]> get = s.send(ALICE, "GET", "/a.bin", null);
    assertEquals(500, get.statusCode());
    String text = new String(get.body(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("the content of /a.bin is damaged: chunk " + ChunkHash.sha256(SECOND).hex()
        + " does not hash to its name"), text);
    assertDamaged(s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/a.bin&version=1", null), "version 1 of /a.bin");
    assertDamaged(s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/a.bin", null), "the content of /a.bin");
    assertDamaged(s.send(ALICE, "POST", "/.cairn/api/v1/restore",
        new JsonObject().put("path", "/a.bin").put("version", 1).encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json"), "version 1 of /a.bin");
    assertDamaged(s.send(ALICE, "GET", "/.cairn/api/v1/chunks/" + ChunkHash.sha256(FIRST).hex(), null),
        "chunk " + ChunkHash.sha256(FIRST).hex());
    io.vertx.core.json.JsonArray history = new JsonObject(new String(
        s.send(ALICE, "GET", "/.cairn/api/v1/history?path=/a.bin", null).body(), StandardCharsets.UTF_8))
        .getJsonArray("versions");
    assertEquals(List.of(true, true), history.stream().map(v -> ((JsonObject) v).getBoolean("damaged", false)).toList(),
        "both versions are listed, each marked damaged: " + history);
    assertArrayEquals(OTHER, s.send(ALICE, "GET", "/other.bin", null).body(), "the rest reads as before");
    HttpResponse<byte[]> shared = s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/a.bin").encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertEquals(200, shared.statusCode(), new String(shared.body(), StandardCharsets.UTF_8));
    String url = new JsonObject(new String(shared.body(), StandardCharsets.UTF_8)).getString("url");
    HttpResponse<byte[]> visit = s.send(null, "GET", url + "/file", null);
    String told = new String(visit.body(), StandardCharsets.UTF_8);
    assertEquals(500, visit.statusCode(), told);
    assertEquals("damaged", new JsonObject(told).getString("error"), told);
    assertTrue(!told.contains(ChunkHash.sha256(SECOND).hex()) && !told.contains("/a.bin"),
        "a visitor is told the file is damaged, not which chunk or path: " + told);
  }

  @Test
  @Order(3)
  void fsckAfterTheRepairReportsKnownDamageAndASecondRepairChangesNothing() throws Exception {
    Run plain = fsck();
    assertEquals(1, plain.status(), plain.out());
    assertEquals(List.of(), plain.lines("MISSING"));
    assertEquals(3, plain.lines("DAMAGED").size(), plain.out());
    assertTrue(plain.lines("DAMAGED").getFirst().contains("needed by " + NS + ":/a.bin"), plain.out());
    if (repairNeedsTheServerStopped()) {
      s.close();
      s = null;
    }
    Run again = fsck("--verify", "--repair");
    assertEquals(1, again.status(), again.out());
    assertEquals(List.of(), again.lines("REPAIRED"));
    assertTrue(again.out().contains("; 0 problems, 3 known damaged (recorded in the journal), 0 chunk records repaired"),
        again.out());
  }

  @Test
  @Order(4)
  void aChunkPutBackIsFoundSoundAndItsRecordCleared() throws Exception {
    Files.write(chunkFile(ChunkHash.sha256(SECOND)), SECOND);
    Path first = chunkFile(ChunkHash.sha256(FIRST));
    Files.createDirectories(first.getParent());
    Files.write(first, FIRST);
    Run r = fsck("--verify", "--repair");
    assertEquals(0, r.status(), r.out());
    assertEquals(2, r.lines("REPAIRED").size(), r.out());
    assertEquals(0, fsck("--verify").status());
    if (s == null) {
      s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    }
    assertArrayEquals(SECOND, s.send(ALICE, "GET", "/a.bin", null).body());
    assertArrayEquals(FIRST, s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/a.bin&version=1", null).body());
    assertTrue(!new String(s.send(ALICE, "GET", "/.cairn/api/v1/history?path=/a.bin", null).body(), StandardCharsets.UTF_8)
        .contains("damaged"), "no version is marked damaged any more");
  }

  @Test
  @Order(5)
  void aRecordNoRetainedVersionNeedsIsReportedAndClearedByARepair() throws Exception {
    if (s == null) {
      s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    }
    ChunkHash stray = ChunkHash.sha256("no version names this".getBytes(StandardCharsets.UTF_8));
    s.server.journal().markDamaged(Map.of(stray, io.cairn.storage.DamagedChunk.MISSING),
        java.time.Instant.now().minusSeconds(60)).toCompletionStage().toCompletableFuture().join();
    if (repairNeedsTheServerStopped()) {
      s.close();
      s = null;
    }
    Run plain = fsck();
    assertEquals(1, plain.status(), plain.out());
    assertEquals(List.of("UNNEEDED chunk " + stray.hex() + " is recorded as damaged but no retained version needs it:"
        + " --repair clears its record"), plain.lines("UNNEEDED"));
    Run repair = fsck("--repair");
    assertEquals(0, repair.status(), repair.out());
    assertEquals(List.of("REPAIRED chunk " + stray.hex() + " is needed by no retained version any more:"
        + " its damage record is cleared"), repair.lines("REPAIRED"));
    assertEquals(0, fsck().status());
  }

  static void assertDamaged(HttpResponse<byte[]> r, String what) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(500, r.statusCode(), body);
    JsonObject error = new JsonObject(body);
    assertEquals("damaged", error.getString("error"), body);
    assertTrue(error.getString("message").startsWith(what + " is damaged: chunk "), body);
  }

  void put(String path, byte[] body) throws Exception {
    int status = s.send(ALICE, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
  }

  Run fsck(String... flags) throws Exception {
    return fsck(dir, storage, flags);
  }

  /** {@code cairn fsck FLAGS} in this process over data directory {@code dir} and {@code storage}'s backends. */
  static Run fsck(Path dir, Map<String, String> storage, String... flags) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = new String[flags.length + 2];
    System.arraycopy(flags, 0, args, 0, flags.length);
    Path conf = dir.resolve("storage.properties");
    StringBuilder b = new StringBuilder("data.dir = " + dir + "\n");
    storage.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(conf, b.toString());
    args[flags.length] = "--config";
    args[flags.length + 1] = conf.toString();
    int status = Main.fsck(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    return new Run(status, out.toString(StandardCharsets.UTF_8));
  }

  static byte[] random(long seed, int size) {
    return FsckTest.random(seed, size);
  }
}
