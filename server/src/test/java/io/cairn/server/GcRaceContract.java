package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Chunk gc against the sync API's upload, on a running server (ADR 0012): a chunk uploaded, or
 * reported present, before a gc run is still there for the commit that names it after the run;
 * a chunk gc did delete (its upload older than the grace) makes the commit answer 409
 * missing_chunks, which the client retries, never a commit naming a deleted chunk. Then gc
 * removes what no version names, keeps every retained version's chunks, and fsck is clean. Each
 * backend pair subclasses this with its storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GcRaceContract {
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String BOB = TestServer.basic("bob", "bob-password");

  /** The server's clock: advanced past the grace to make every chunk stored so far look old. */
  final MutableClock clock = new MutableClock(Instant.now());
  Path dir;
  TestServer s;
  ApiSync alice;
  ApiSync bob;
  Map<String, String> storage;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults in dir). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("cairn-gc-race");
    storage = storage(dir);
    Map<String, String> config = new HashMap<>(storage);
    config.put("gc.interval.hours", "0"); // runs only when the test asks
    config.put("gc.grace.hours", "3");
    s = TestServer.start(dir, config, clock);
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
    alice = new ApiSync(s.url(""), ALICE, new Chunker(ChunkerParams.DEFAULT));
    bob = new ApiSync(s.url(""), BOB, new Chunker(ChunkerParams.DEFAULT));
  }

  @AfterAll
  void stop() throws java.io.IOException {
    if (s != null) {
      s.close();
    }
    if (dir != null) { // a temporary directory of the run's: not left behind in /tmp
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  @Order(1)
  void aChunkUploadedAndToldPresentBeforeAGcRunIsThereForTheCommitAfterIt() throws Exception {
    byte[] content = random(1, 90_000);
    ChunkHash chunk = upload(alice, content);
    assertEquals(List.of(), missing(alice, chunk), "told present: alice uploaded it within the hour");
    GarbageCollector.Summary run = s.server.collectGarbage();
    assertTrue(run.keptForGraceChunks() >= 1, "the uploaded chunk is kept for grace: " + run);
    assertEquals(0, run.sweptChunks(), "nothing stored within the grace goes: " + run);
    assertEquals(200, commit(alice, "/uploaded.bin", chunk, content.length).statusCode());
    assertArrayEquals(content, get("/uploaded.bin"));
  }

  @Test
  @Order(2)
  void aChunkReportedPresentBeforeAGcRunIsThereForTheCommitAfterIt() throws Exception {
    byte[] content = random(1, 90_000); // the content of the version committed above
    ChunkHash chunk = ChunkHash.sha256(content);
    assertEquals(List.of(), missing(alice, chunk), "present: a version alice can read names it");
    s.server.collectGarbage();
    assertEquals(200, commit(alice, "/again.bin", chunk, content.length).statusCode());
    assertArrayEquals(content, get("/again.bin"));
  }

  @Test
  @Order(3)
  void aCommitWhoseChunkGcDeletedAnswersMissingChunksAndSucceedsOnceUploadedAgain() throws Exception {
    byte[] content = random(3, 80_000);
    ChunkHash chunk = upload(alice, content);
    byte[] orphan = random(4, 70_000);
    ChunkHash orphanChunk = upload(bob, orphan); // never committed
    clock.advance(Duration.ofDays(3)); // both uploads now older than the grace: as if they stalled
    GarbageCollector.Summary run = s.server.collectGarbage();
    assertEquals(2, run.sweptChunks(), "the two uncommitted chunks go: " + run);
    HttpResponse<byte[]> refused = commit(alice, "/late.bin", chunk, content.length);
    assertEquals(409, refused.statusCode(), "retryable: upload the missing chunk again");
    assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains(chunk.hex()));
    assertEquals(List.of(orphanChunk), missing(bob, orphanChunk), "gone for bob too");
    assertEquals(chunk, upload(alice, content));
    assertEquals(200, commit(alice, "/late.bin", chunk, content.length).statusCode());
    assertArrayEquals(content, get("/late.bin"));
  }

  @Test
  @Order(4)
  void gcKeepsEveryRetainedVersionsChunksAndFsckIsCleanAfterIt() throws Exception {
    byte[] v1 = random(5, 60_000);
    upload(alice, v1);
    assertEquals(200, commit(alice, "/doc.bin", ChunkHash.sha256(v1), v1.length).statusCode());
    JsonObject entry = new JsonObject(new String(s.send(ALICE, "GET", "/.cairn/api/v1/entry?path=/doc.bin", null).body(),
        StandardCharsets.UTF_8));
    byte[] v2 = random(6, 61_000);
    upload(alice, v2);
    HttpResponse<byte[]> second = alice.post("commit", new JsonObject().put("path", "/doc.bin")
        .put("blocklist", blocklist(ChunkHash.sha256(v2), v2.length)).put("size", v2.length)
        .put("base", entry.getLong("version")));
    assertEquals(200, second.statusCode(), new String(second.body(), StandardCharsets.UTF_8));
    assertEquals(204, s.send(ALICE, "DELETE", "/uploaded.bin", null).statusCode()); // into the trash
    clock.advance(Duration.ofDays(3));
    GarbageCollector.Summary run = s.server.collectGarbage();
    assertEquals(0, run.sweptChunks(), "every stored chunk is named by a retained version: " + run);
    assertTrue(run.markedChunks() >= 4, run.toString());
    assertArrayEquals(v2, get("/doc.bin"));
    s.close();
    s = null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.fsck(args(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, status, "fsck after gc: " + out.toString(StandardCharsets.UTF_8));
  }

  /** --data, or --config with this backend's storage, for the command line. */
  String[] args() throws Exception {
    if (storage.isEmpty()) {
      return new String[] {"--data", dir.toString()};
    }
    Path conf = dir.resolve("storage.properties");
    StringBuilder b = new StringBuilder("data.dir = " + dir + "\n");
    storage.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(conf, b.toString());
    return new String[] {"--config", conf.toString()};
  }

  /** Uploads one single-chunk file's chunk through the sync API (if reported missing). */
  ChunkHash upload(ApiSync who, byte[] content) throws Exception {
    ChunkHash hash = ChunkHash.sha256(content);
    if (!missing(who, hash).isEmpty()) {
      assertEquals(201, who.send("PUT", "/.cairn/api/v1/chunks/" + hash.hex(), content, "application/octet-stream").statusCode());
    }
    return hash;
  }

  List<ChunkHash> missing(ApiSync who, ChunkHash hash) throws Exception {
    JsonObject answer = ApiSync.json(who.post("chunks/missing", new JsonObject().put("hashes", new JsonArray().add(hash.hex()))), 200);
    return answer.getJsonArray("missing").stream().map(h -> ChunkHash.parse((String) h)).toList();
  }

  HttpResponse<byte[]> commit(ApiSync who, String path, ChunkHash hash, int size) throws Exception {
    return who.post("commit", new JsonObject().put("path", path).put("blocklist", blocklist(hash, size)).put("size", size));
  }

  static JsonArray blocklist(ChunkHash hash, int size) {
    return new JsonArray().add(new JsonObject().put("hash", hash.hex()).put("size", size));
  }

  byte[] get(String path) throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", path, null);
    assertEquals(200, r.statusCode());
    return r.body();
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
