package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunker;
import io.cairn.server.UploadLoad.Outcome;
import io.cairn.server.gc.GarbageCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk gc running over and over while 32 clients upload content
 * that shares chunks with files just deleted or overwritten and with orphans gc is about to
 * delete: nothing acknowledged is lost and fsck is clean (ADR 0012: a put that finds an old chunk
 * present refreshes its time; ADR 0015: a commit naming a chunk gc deleted after the upload relied
 * on it is refused with 503 and sent again). Each backend pair subclasses this with its storage.
 *
 * <p><b>Time passing.</b> The grace is the shortest the configuration allows, 3 h, and gc runs
 * with the real clock. Before the load, with nothing in flight, every chunk's last-modified time
 * (its file's modification time, on the local disk and in s3proxy's filesystem backend alike) is
 * set 4 h back: what the store would look like had all of it been written 4 h ago. So
 * every orphan is due for deletion in the first run, every chunk the load deduplicates against
 * is old enough to be refreshed (ChunkStore.REFRESH_AFTER), and every chunk the load writes is
 * honestly young. The first run starts once the load's first upload is acknowledged, so that its
 * sweep of the orphans meets uploads streaming the same chunks: each orphan is either refreshed
 * by a put before gc's deletion (and kept) or deleted first (and written again by the put).
 */
abstract class GcUnderLoadContract {
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final int CLIENTS = 32;
  static final int UNIQUE_ORPHANS = 8;
  static final int POOL = 16;
  @TempDir Path dir;
  Map<String, String> storage;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults in dir). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  /** Sets every stored chunk's last-modified time {@code age} back (nothing is in flight). */
  abstract void ageEveryChunk(Duration age) throws Exception;

  @Test
  @Timeout(180)
  void gcOverAndOverBesideUploadsSharingChunksWithOrphansAndDeletedFilesLosesNothing() throws Exception {
    long seed = System.nanoTime();
    UploadLoad load = new UploadLoad(seed, POOL, 16, 75);
    storage = storage(dir);
    Map<String, String> config = new HashMap<>(storage);
    config.put("gc.interval.hours", "0"); // runs only when the test asks
    config.put("gc.grace.hours", "3");
    String name = getClass().getSimpleName();
    try (TestServer s = TestServer.start(dir, config, Clock.systemUTC())) {
      s.server.accounts().addUser("alice", "alice-password", false);
      for (int k = 0; k < 4; k++) { // pool blocks 0-3: files deleted (trash) or overwritten (history)
        assertEquals(201, s.send(ALICE, "PUT", "/seed-" + k + ".bin", load.pool[k]).statusCode());
        int status = k < 2 ? s.send(ALICE, "DELETE", "/seed-" + k + ".bin", null).statusCode()
            : s.send(ALICE, "PUT", "/seed-" + k + ".bin", new byte[] {(byte) k}).statusCode();
        assertEquals(204, status);
      }
      List<byte[]> orphans = new ArrayList<>(); // pool blocks 4 and up as chunks no version names
      for (int k = 4; k < POOL; k++) {
        orphans.addAll(chunks(load.pool[k]));
      }
      Random r = new Random(seed);
      for (int i = 0; i < UNIQUE_ORPHANS; i++) { // and chunks nothing will ever name
        byte[] b = new byte[100_000];
        r.nextBytes(b);
        orphans.add(b);
      }
      for (byte[] chunk : orphans) {
        assertEquals(201, s.send(ALICE, "PUT", "/.cairn/api/v1/chunks/" + ChunkHash.sha256(chunk).hex(), chunk,
            "Content-Type", "application/octet-stream").statusCode());
      }
      ageEveryChunk(Duration.ofHours(4));

      AtomicBoolean loadDone = new AtomicBoolean();
      AtomicLong runs = new AtomicLong();
      AtomicLong swept = new AtomicLong();
      Thread gc = Thread.ofPlatform().start(() -> {
        long waitUntil = System.nanoTime() + 20_000_000_000L;
        while (load.count(Outcome.ACKED) == 0 && System.nanoTime() < waitUntil) {
          LockSupport.parkNanos(5_000_000);
        }
        while (!loadDone.get() && runs.get() < 500) {
          GarbageCollector.Summary run = s.server.collectGarbage();
          runs.incrementAndGet();
          swept.addAndGet(run.sweptChunks());
        }
      });
      load.run(s::url, ALICE, CLIENTS, 5, seed, Duration.ofSeconds(40));
      loadDone.set(true);
      gc.join(60_000);
      System.out.printf("%s (seed %d): %d gc runs deleted %d chunks of %d orphans while %d uploads were "
          + "acknowledged (%d refused, %d cut, %d answers 503 sent again)%n", name, seed, runs.get(), swept.get(),
          orphans.size(), load.count(Outcome.ACKED), load.count(Outcome.REFUSED), load.count(Outcome.CUT),
          load.retried503.get());
      JsonArray hashes = new JsonArray();
      orphans.forEach(o -> hashes.add(ChunkHash.sha256(o).hex()));
      HttpResponse<byte[]> missing = s.send(ALICE, "POST", "/.cairn/api/v1/chunks/missing",
          new JsonObject().put("hashes", hashes).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
      assertEquals(200, missing.statusCode());
      int present = orphans.size() - new JsonObject(new String(missing.body(), StandardCharsets.UTF_8)).getJsonArray("missing").size();
      System.out.printf("%s: %d of the %d orphans are stored after the load (deduplicated or written again)%n",
          name, present, orphans.size());
      assertTrue(swept.get() >= UNIQUE_ORPHANS, "gc deleted while the load ran: " + swept.get());
      assertEquals(load.attempts().size(), load.count(Outcome.ACKED), "every upload acknowledged");
      List<String> problems = new ArrayList<>(new LedgerCheck(s::url, ALICE).problems(load.attempts()));
      problems.forEach(p -> System.out.println(name + ": " + p));
      CrashContract.Fsck fsck = CrashContract.fsck(dataConfig());
      assertEquals(0, fsck.status(), "fsck --verify after the load (seed " + seed + "): " + fsck.out());
      assertEquals(List.of(), problems, "seed " + seed);
    }
  }

  /** The chunks the server cuts {@code content} into (the default chunker, as a WebDAV PUT does). */
  static List<byte[]> chunks(byte[] content) {
    List<byte[]> chunks = new ArrayList<>();
    for (int off = 0; off < content.length; ) {
      int len = Chunker.DEFAULT.cut(content, off, content.length - off);
      chunks.add(Arrays.copyOfRange(content, off, off + len));
      off += len;
    }
    return chunks;
  }

  Path dataConfig() throws Exception {
    Path conf = dir.resolve("fsck.properties");
    StringBuilder b = new StringBuilder("data.dir = " + dir + "\n");
    storage.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(conf, b.toString());
    return conf;
  }
}
