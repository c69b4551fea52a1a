package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * An upload of the same content heals a chunk recorded as damaged (ADR 0016), on one backend pair:
 * a chunk deleted and two overwritten behind the server's back are recorded by {@code cairn fsck
 * --repair}; the same content uploaded again through WebDAV and through the sync API is stored
 * anew (a corrupt copy replaced), its record cleared, and the live files and the older version read
 * back whole, as does a trash entry naming one, with no operator; fsck then finds nothing damaged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HealContract {
  static final String ALICE = DamageContract.ALICE;
  /** One chunk each (below the chunker's minimum), so a chunk's name is its content's SHA-256. */
  static final byte[] FIRST = DamageContract.random(21, 90_000);
  static final byte[] SECOND = DamageContract.random(22, 95_000);
  static final byte[] THIRD = DamageContract.random(23, 85_000);

  Path dir;
  Map<String, String> storage;
  TestServer s;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults in dir). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  /** Where this backend keeps the bytes of chunk {@code hash}, to damage it behind the server's back. */
  abstract Path chunkFile(ChunkHash hash);

  /** True when a repair needs the server stopped (a local chunk directory is the server's alone). */
  abstract boolean repairNeedsTheServerStopped();

  /** Another server over the same journal and chunks, to read what this one healed; null when the storage is one node's. */
  abstract TestServer otherNode() throws Exception;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("cairn-heal");
    storage = new HashMap<>(storage(dir));
    storage.put("scrub.rate.bytes.per.second", "0"); // fsck alone finds the damage here
    s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    s.server.accounts().addUser("alice", "alice-password", false);
    put("/a.bin", FIRST);   // a version only
    put("/a.bin", SECOND);  // live
    put("/c.bin", THIRD);
    put("/trashed.bin", THIRD);
    assertEquals(204, s.send(ALICE, "DELETE", "/trashed.bin", null).statusCode()); // a trash entry naming THIRD's chunk
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
  void damageRecordedByARepairIsRefused() throws Exception {
    Files.delete(chunkFile(ChunkHash.sha256(FIRST)));
    corrupt(ChunkHash.sha256(SECOND));
    corrupt(ChunkHash.sha256(THIRD));
    if (repairNeedsTheServerStopped()) {
      s.close();
      s = null;
    }
    DamageContract.Run r = DamageContract.fsck(dir, storage, "--verify", "--repair");
    assertEquals(3, r.lines("REPAIRED").size(), r.out());
    if (s == null) {
      s = TestServer.start(dir, new HashMap<>(storage), java.time.Clock.systemUTC());
    }
    assertEquals(500, s.send(ALICE, "GET", "/a.bin", null).statusCode());
    assertEquals(500, s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/a.bin&version=1", null).statusCode());
    assertEquals(500, s.send(ALICE, "GET", "/c.bin", null).statusCode());
  }

  @Test
  @Order(2)
  void theSameContentUploadedAgainHealsItsChunksAndEveryVersionNamingThemReads() throws Exception {
    TestServer other = otherNode();
    try {
      if (other != null) {
        assertEquals(500, other.send(ALICE, "GET", "/a.bin", null).statusCode(), "the other node refuses it too");
      }
      put("/a.bin", SECOND); // WebDAV: the corrupt chunk of the live file
      assertSha("/a.bin", SECOND);
      assertEquals(500, s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/a.bin&version=1", null).statusCode(),
          "the older version names a chunk still missing");
      syncUpload("/first-again.bin", FIRST); // the sync API: the missing chunk of the older version
      syncUpload("/c.bin", THIRD);           // and a corrupt chunk, which the server holds
      assertSha("/.cairn/api/v1/content?path=/a.bin&version=1", FIRST);
      assertSha("/first-again.bin", FIRST);
      assertSha("/c.bin", THIRD);
      assertTrue(!new String(s.send(ALICE, "GET", "/.cairn/api/v1/history?path=/a.bin", null).body(), StandardCharsets.UTF_8)
          .contains("damaged"), "no version is marked damaged any more");
      JsonObject trashed = new JsonObject(new String(s.send(ALICE, "GET", "/.cairn/api/v1/trash?path=/", null).body(),
          StandardCharsets.UTF_8)).getJsonArray("trash").getJsonObject(0);
      assertEquals("/trashed.bin", trashed.getString("path"));
      HttpResponse<byte[]> restored = s.send(ALICE, "POST", "/.cairn/api/v1/trash/restore", new JsonObject()
          .put("path", "/trashed.bin").put("version", trashed.getLong("version")).encode().getBytes(StandardCharsets.UTF_8),
          "Content-Type", "application/json");
      assertEquals(200, restored.statusCode(), new String(restored.body(), StandardCharsets.UTF_8));
      assertSha("/trashed.bin", THIRD);
      if (other != null) {
        assertSha(other, "/a.bin", SECOND);
        assertSha(other, "/.cairn/api/v1/content?path=/a.bin&version=1", FIRST);
        assertSha(other, "/c.bin", THIRD);
      }
    } finally {
      if (other != null) {
        other.close();
      }
    }
  }

  @Test
  @Order(3)
  void fsckFindsTheHealedChunksSoundAndNothingRecorded() throws Exception {
    if (repairNeedsTheServerStopped()) {
      s.close(); // a local chunk directory is the server's alone
      s = null;
    }
    DamageContract.Run r = DamageContract.fsck(dir, storage, "--verify");
    assertEquals(0, r.status(), r.out());
    assertEquals(List.of(), r.lines("DAMAGED"));
    assertTrue(r.out().contains("; 0 problems") && !r.out().contains("known damaged"), r.out());
  }

  private void corrupt(ChunkHash hash) throws Exception {
    Path file = chunkFile(hash);
    byte[] flipped = Files.readAllBytes(file);
    flipped[1000] ^= (byte) 0xff; // same length, one byte different
    Files.write(file, flipped);
  }

  /** A sync client's upload: ask which chunks are missing, send those, commit. */
  private void syncUpload(String path, byte[] content) throws Exception {
    String hash = ChunkHash.sha256(content).hex();
    HttpResponse<byte[]> missing = s.send(ALICE, "POST", "/.cairn/api/v1/chunks/missing",
        new JsonObject().put("hashes", new JsonArray().add(hash)).encode().getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(List.of(hash), new JsonObject(new String(missing.body(), StandardCharsets.UTF_8))
        .getJsonArray("missing").getList(), "a damaged chunk is asked for, whether the store has it or not");
    assertEquals(201, s.send(ALICE, "PUT", "/.cairn/api/v1/chunks/" + hash, content,
        "Content-Type", "application/octet-stream").statusCode());
    HttpResponse<byte[]> commit = s.send(ALICE, "POST", "/.cairn/api/v1/commit", new JsonObject().put("path", path)
        .put("size", content.length).putNull("base")
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", hash).put("size", content.length)))
        .encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertEquals(200, commit.statusCode(), new String(commit.body(), StandardCharsets.UTF_8));
  }

  void put(String path, byte[] body) throws Exception {
    int status = s.send(ALICE, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
  }

  private void assertSha(String path, byte[] expected) throws Exception {
    assertSha(s, path, expected);
  }

  static void assertSha(TestServer node, String path, byte[] expected) throws Exception {
    HttpResponse<byte[]> r = node.send(ALICE, "GET", path, null);
    assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(ChunkHash.sha256(expected).hex(), ChunkHash.sha256(r.body()).hex(), path + " reads back whole");
  }
}
