package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cluster figures for bench/README.md and docs/cluster.md, over two node JVMs on PostgreSQL and
 * s3proxy. Not part of the default test run (its name keeps it out); {@code bench/cluster.sh}
 * runs it. It prints figures and asserts only that every request succeeded.
 */
class ClusterBench {
  private static final int ROUNDS = Integer.getInteger("cairn.bench.rounds", 300);
  private static final int SECONDS = Integer.getInteger("cairn.bench.seconds", 20);
  private static final int CLIENTS = Integer.getInteger("cairn.bench.clients", 8);
  private final DavClient dav = new DavClient();

  @Test
  void invalidationLatencyAndThroughput() throws Exception {
    Path logs = Path.of(System.getProperty("cairn.test.logs", System.getProperty("java.io.tmpdir")));
    Path dir = Files.createDirectories(logs.resolve("bench-" + System.currentTimeMillis()));
    String journal = PostgresServer.shared().newDatabase();
    String chunks = S3Server.shared().uri("bench-" + ProcessHandle.current().pid()).toString();
    try (NodeProcesses nodes =
        NodeProcesses.start(dir, 2, Map.of("journal.uri", journal, "chunks.uri", chunks))) {
      String a = nodes.url(0);
      String b = nodes.url(1);
      assertEquals(201, dav.send(a, "MKCOL", "/bench", null).status());
      long[] put = new long[ROUNDS];
      long[] visible = new long[ROUNDS];
      long[] afterAck = new long[ROUNDS];
      int extraReads = 0;
      for (int i = 0; i < ROUNDS; i++) {
        String body = "version " + i;
        long start = System.nanoTime();
        int s = dav.send(a, "PUT", "/bench/one.txt", body).status();
        long acked = System.nanoTime();
        assertTrue(s == 201 || s == 204, "PUT " + s);
        for (int tries = 0; ; tries++) {
          if (dav.send(b, "GET", "/bench/one.txt", null).body().equals(body)) {
            break;
          }
          assertTrue(tries < 1000, "B never served version " + i);
          extraReads++;
        }
        put[i] = acked - start;
        visible[i] = System.nanoTime() - start;
        afterAck[i] = visible[i] - put[i];
      }
      Arrays.sort(put);
      Arrays.sort(visible);
      Arrays.sort(afterAck);
      System.out.printf(
          "invalidation: PUT on A p50 %.2f ms p99 %.2f ms; PUT on A until B serves it p50 %.2f ms"
              + " p99 %.2f ms; from A's response until B served it p50 %.2f ms p99 %.2f ms;"
              + " GETs on B that saw the old version: %d of %d%n",
          put[ROUNDS / 2] / 1e6, put[ROUNDS * 99 / 100] / 1e6, visible[ROUNDS / 2] / 1e6,
          visible[ROUNDS * 99 / 100] / 1e6, afterAck[ROUNDS / 2] / 1e6,
          afterAck[ROUNDS * 99 / 100] / 1e6, extraReads, ROUNDS);

      String admin = "Basic " + java.util.Base64.getEncoder().encodeToString(
          ("admin:" + DavClient.ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      System.out.println(io.cairn.server.SseLatency.measure(admin, a, a, ROUNDS, "one node of two"));
      System.out.println(io.cairn.server.SseLatency.measure(admin, a, b, ROUNDS, "two nodes, PUT on A, stream on B"));

      for (int f = 0; f < 20; f++) {
        dav.send(a, "PUT", "/bench/f" + f, "x".repeat(4096));
      }
      double one = throughput(List.of(a));
      double two = throughput(List.of(a, b));
      System.out.printf(
          "throughput (%d clients, 80%% GET / 10%% PROPFIND depth 1 / 10%% PUT of 4 KiB, %d s each):"
              + " 1 node %.0f req/s, 2 nodes %.0f req/s, ratio %.2f%n",
          CLIENTS, SECONDS, one, two, two / one);
    }
  }

  /** Requests per second of CLIENTS clients spread over {@code targets} for SECONDS. */
  private double throughput(List<String> targets) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      long end = System.nanoTime() + SECONDS * 1_000_000_000L;
      List<Future<Integer>> counts = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String target = targets.get(c % targets.size());
        int client = c;
        counts.add(
            pool.submit(
                () -> {
                  int n = 0;
                  for (int i = 0; System.nanoTime() < end && i < 1_000_000; i++, n++) {
                    String path = "/bench/f" + ((client * 7 + i) % 20);
                    int s =
                        switch (i % 10) {
                          case 0 -> dav.send(target, "PUT", path, "y".repeat(4096)).status();
                          case 1 -> dav.send(target, "PROPFIND", "/bench/", null, "Depth", "1").status();
                          default -> dav.send(target, "GET", path, null).status();
                        };
                    if (s >= 300) {
                      throw new AssertionError("status " + s + " for request " + i);
                    }
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> c : counts) {
        total += c.get(SECONDS + 120, TimeUnit.SECONDS);
      }
      return total / (double) SECONDS;
    } finally {
      pool.shutdownNow();
    }
  }
}
