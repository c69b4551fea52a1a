package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.JournalRow;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Cairn nodes as separate JVMs on loopback over one PostgreSQL and one S3 (s3proxy), the
 * acceptance tests of issue 6. The nodes are started once for the class; the test that kills one
 * runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterModeTest {
  private static final Path LITMUS = Path.of("/usr/bin/litmus");
  private final DavClient dav = new DavClient();
  private Path dir;
  private String journalUri;
  private NodeProcesses nodes;

  @BeforeAll
  void startCluster() throws Exception {
    // Under target/test-logs when Maven runs us, so that node logs outlive a failure.
    Path logs = Path.of(System.getProperty("cairn.test.logs", System.getProperty("java.io.tmpdir")));
    dir = Files.createDirectories(logs.resolve("cluster-" + System.currentTimeMillis()));
    journalUri = PostgresServer.shared().newDatabase();
    String chunks = S3Server.shared().uri("cluster-" + ProcessHandle.current().pid()).toString();
    nodes =
        NodeProcesses.start(
            dir, 3, Map.of("journal.uri", journalUri, "chunks.uri", chunks, "chunker.min", "64K",
                "chunker.avg", "128K", "chunker.max", "256K"));
  }

  @AfterAll
  void stopCluster() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private String node(int i) {
    return nodes.url(i);
  }

  @Test
  @Order(1)
  void refusesToStartClusteredOnNodeLocalStorage() throws Exception {
    Path conf = dir.resolve("local.properties");
    Files.writeString(
        conf, "port = 0\ndata.dir = " + dir.resolve("local") + "\ncluster.enabled = true\n");
    Process p = NodeProcesses.launch(conf, dir.resolve("local.log"));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a refused node must exit");
    String log = Files.readString(dir.resolve("local.log"));
    assertEquals(2, p.exitValue(), log);
    assertTrue(log.contains("needs a journal all nodes share"), log);
  }

  @Test
  @Order(2)
  void aWriteOnOneNodeIsReadAtOnceOnAnother() throws Exception {
    assertEquals(201, dav.send(node(0), "MKCOL", "/fresh", null).status());
    int stale = 0;
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String writer = node(i % 3);
      String reader = node((i + 1) % 3);
      String body = "version " + i;
      int put = dav.send(writer, "PUT", "/fresh/same.txt", body).status();
      assertTrue(put == 201 || put == 204, "PUT " + i + ": " + put);
      DavClient.Reply got = dav.send(reader, "GET", "/fresh/same.txt", null);
      if (got.status() != 200 || !got.body().equals(body)) {
        stale++;
        wrong.add(i + ": " + got.status() + " " + got.body());
      }
      if (i % 5 == 0) {
        String name = "new" + i + ".txt";
        assertEquals(201, dav.send(writer, "PUT", "/fresh/" + name, body).status());
        DavClient.Reply list = dav.send(reader, "PROPFIND", "/fresh/", null, "Depth", "1");
        if (list.status() != 207 || !list.body().contains(name)) {
          stale++;
          wrong.add(i + ": listing without " + name);
        }
      }
    }
    assertEquals(0, stale, "stale reads: " + wrong);
  }

  @Test
  @Order(3)
  void aLockTakenOnOneNodeIsHonouredByTheOthers() throws Exception {
    assertEquals(201, dav.send(node(0), "PUT", "/locked.txt", "before").status());
    DavClient.Reply lock =
        dav.send(node(0), "LOCK", "/locked.txt", DavClient.lockBody(), "Timeout", "Second-60");
    assertEquals(200, lock.status(), lock.body());
    assertNotNull(lock.lockToken());
    assertEquals(423, dav.send(node(1), "PUT", "/locked.txt", "intruder").status());
    assertEquals(423, dav.send(node(2), "DELETE", "/locked.txt", null).status());
    int withToken =
        dav.send(node(1), "PUT", "/locked.txt", "holder", "If", "(" + lock.lockToken() + ")")
            .status();
    assertEquals(204, withToken);
    assertEquals(
        204, dav.send(node(2), "UNLOCK", "/locked.txt", null, "Lock-Token", lock.lockToken()).status());
    assertEquals(204, dav.send(node(1), "PUT", "/locked.txt", "after").status());
    assertEquals("after", dav.send(node(0), "GET", "/locked.txt", null).body());
  }

  @Test
  @Order(4)
  void concurrentOverwritesFromTwoNodesKeepEveryVersion() throws Exception {
    assertEquals(201, dav.send(node(0), "MKCOL", "/race", null).status());
    Set<String> bodies = new HashSet<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        for (int i = 0; i < 50; i++) {
          bodies.add("writer " + writer + " write " + i + " " + "x".repeat(i));
        }
        writers.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < 50; i++) {
                    String body = "writer " + writer + " write " + i + " " + "x".repeat(i);
                    int s = dav.send(node(writer), "PUT", "/race/one.txt", body).status();
                    if (s == 201 || s == 204) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      assertEquals(50, writers.get(0).get(120, TimeUnit.SECONDS));
      assertEquals(50, writers.get(1).get(120, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    String last = dav.send(node(2), "GET", "/race/one.txt", null).body();
    assertTrue(bodies.contains(last), "final content is not one of the writes: " + last);
    Vertx vertx = Vertx.vertx();
    try (PgJournal journal =
        PgJournal.open(vertx, journalUri, Clock.systemUTC(), 1)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)) {
      List<JournalRow> history =
          journal.history(DavClient.NAMESPACE, "/race/one.txt", 500).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<JournalRow> puts = history.stream().filter(r -> r.kind() == ChangeKind.PUT).toList();
      assertEquals(100, puts.size());
      assertEquals(100, puts.stream().map(JournalRow::contentHash).distinct().count());
      assertEquals(last.length(), puts.get(0).size(), "the newest row is what GET serves");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void litmusPassesOnOneNodeWhileAnotherServesWrites() throws Exception {
    assertTrue(Files.isExecutable(LITMUS), "litmus is not installed at " + LITMUS);
    assertEquals(201, dav.send(node(0), "MKCOL", "/litmus", null).status());
    assertEquals(201, dav.send(node(1), "MKCOL", "/busy", null).status());
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    AtomicInteger failedWrites = new AtomicInteger();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 10_000 && !done.get(); i++) {
                    try {
                      int s = dav.send(node(1), "PUT", "/busy/f" + (i % 20), "w" + i).status();
                      (s == 201 || s == 204 ? writes : failedWrites).incrementAndGet();
                    } catch (Exception e) {
                      failedWrites.incrementAndGet();
                    }
                  }
                });
    ProcessBuilder pb = new ProcessBuilder(LITMUS.toString(), node(0) + "/litmus/", "admin", DavClient.ADMIN_PASSWORD);
    pb.environment().put("TESTS", "basic copymove props locks http");
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    Path log = dir.resolve("litmus.out");
    pb.redirectOutput(log.toFile());
    Process litmus = pb.start();
    try {
      if (!litmus.waitFor(240, TimeUnit.SECONDS)) {
        litmus.destroyForcibly();
        throw new AssertionError("litmus did not finish within 240 s");
      }
    } finally {
      done.set(true);
      writer.join(Duration.ofSeconds(60));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Matcher summary =
        Pattern.compile("summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")
            .matcher(out);
    int suites = 0;
    while (summary.find()) {
      suites++;
      assertEquals("0", summary.group(4), summary.group(1) + ":\n" + out);
    }
    assertEquals(5, suites, out);
    assertTrue(writes.get() > 0, "the other node served no writes");
    assertEquals(0, failedWrites.get(), "writes failed on the other node");
  }

  @Test
  @Order(6)
  void changesFromEightWritersOnTwoNodesAreSeenExactlyOnceByAPagerAndAStreamThatReconnects() throws Exception {
    int writers = 8;
    int each = 250;
    String start = ChangeReaders.cursor(node(2));
    ChangeReaders readers = new ChangeReaders();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      var pager = pool.submit(() -> {
        readers.page(node(2), start, 7, writers * each, deadline);
        return null;
      });
      var follower = pool.submit(() -> {
        readers.follow(node(1), start, 700, writers * each, deadline);
        return null;
      });
      List<java.util.concurrent.Future<Integer>> writing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        writing.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < each && System.nanoTime() < deadline; i++) {
            int s = dav.send(node(writer % 2), "PUT", "/feed-" + writer + "-" + i + ".txt", "w" + writer + " " + i).status();
            ok += s == 201 ? 1 : 0;
          }
          return ok;
        }));
      }
      for (var w : writing) {
        assertEquals(each, w.get(5, TimeUnit.MINUTES));
      }
      pager.get(5, TimeUnit.MINUTES);
      follower.get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    for (List<String> seen : List.of(readers.paged, readers.streamed)) {
      assertEquals(writers * each, seen.size(), "every change once");
      assertEquals(writers * each, new HashSet<>(seen).size(), "no change twice");
      List<Long> versions = seen.stream().map(s -> Long.parseLong(s.substring(s.indexOf('@') + 1))).toList();
      assertEquals(versions.stream().sorted().toList(), versions, "jid order (one namespace)");
    }
    assertEquals(1, readers.reconnects, "the stream was resumed once from Last-Event-ID");
  }

  @Test
  @Order(7)
  void aChunkRecordedAsDamagedIsRefusedOnEveryNodeUntilAnUploadOnOneHealsItForAll() throws Exception {
    String body = "content whose one chunk is recorded as damaged, then uploaded again. ".repeat(700); // < chunker.min
    assertEquals(201, dav.send(node(0), "PUT", "/damaged.txt", body).status());
    ChunkHash chunk = ChunkHash.sha256(body.getBytes(StandardCharsets.UTF_8));
    Vertx vertx = Vertx.vertx();
    try (PgJournal journal = PgJournal.open(vertx, journalUri, Clock.systemUTC(), 1).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS)) {
      journal.markDamaged(Map.of(chunk, DamagedChunk.MISSING), java.time.Instant.now())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (int n = 0; n < 3; n++) {
        DavClient.Reply refused = dav.send(node(n), "GET", "/damaged.txt", null);
        assertEquals(500, refused.status(), "node " + n + ": " + refused.body());
      }
      assertEquals(204, dav.send(node(0), "PUT", "/damaged.txt", body).status(), "the same content again");
      assertEquals(Map.of(), journal.damaged(List.of(chunk)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      for (int n = 0; n < 3; n++) {
        DavClient.Reply healed = dav.send(node(n), "GET", "/damaged.txt", null);
        assertEquals(200, healed.status(), "node " + n + ": " + healed.body());
        assertEquals(body, healed.body(), "node " + n);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(9)
  void aLockOutlivesItsNodeUntilItsTimeoutAndTheOthersKeepServing() throws Exception {
    assertEquals(201, dav.send(node(2), "PUT", "/held.txt", "held").status());
    long lockedAt = System.nanoTime();
    DavClient.Reply lock =
        dav.send(node(2), "LOCK", "/held.txt", DavClient.lockBody(), "Timeout", "Second-5");
    assertEquals(200, lock.status(), lock.body());
    assertEquals(423, dav.send(node(0), "PUT", "/held.txt", "early").status());
    nodes.kill(2);
    int reads = 0;
    List<String> failures = new ArrayList<>();
    Integer freedAfterMillis = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && freedAfterMillis == null) {
      for (int n = 0; n < 2; n++) {
        DavClient.Reply r = dav.send(node(n), "GET", "/locked.txt", null);
        reads++;
        if (r.status() != 200) {
          failures.add("GET on node " + n + ": " + r.status());
        }
      }
      int put = dav.send(node(1), "PUT", "/held.txt", "after the timeout").status();
      if (put == 204) {
        freedAfterMillis = (int) ((System.nanoTime() - lockedAt) / 1_000_000);
      } else if (put != 423) {
        failures.add("PUT on node 1: " + put);
      }
      Thread.sleep(200);
    }
    assertNotNull(freedAfterMillis, "the lock of the dead node never expired");
    assertTrue(freedAfterMillis >= 5000, "freed before its timeout: " + freedAfterMillis + " ms");
    assertEquals(List.of(), failures, "failed requests to surviving nodes out of " + reads);
    assertEquals("after the timeout", dav.send(node(0), "GET", "/held.txt", null).body());
  }
}
