package io.cairn.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.CairnServer;
import io.cairn.server.ServerConfig;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port of a real server: every metric docs/metrics.md lists is in the scrape after a
 * little WebDAV traffic (a renamed meter fails here), health and readiness answer, and nothing else
 * is served there.
 */
class MetricsEndpointTest {
  private static final String ADMIN_PASSWORD = "metrics-admin-1";
  private static final String ADMIN_BASIC =
      "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> send(int port, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", ADMIN_BASIC)
            .method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void scrapeHasEveryDocumentedMetricAfterTraffic(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.load(null, Map.of("port", "0", "data.dir", dir.toString()));
    assertEquals(0, config.managementPort(), "port 0 gives a free management port too");
    try (CairnServer server = CairnServer.start(config, ADMIN_PASSWORD)) {
      int dav = server.port();
      int mgmt = server.managementPort();
      assertTrue(mgmt != dav && mgmt > 0);
      assertEquals(201, send(dav, "MKCOL", "/d", null).statusCode());
      assertEquals(201, send(dav, "PUT", "/d/a.txt", "hello metrics").statusCode());
      assertEquals(201, send(dav, "PUT", "/d/b.txt", "hello metrics").statusCode());
      assertEquals(200, send(dav, "GET", "/d/a.txt", null).statusCode());
      assertEquals(404, send(dav, "GET", "/nothing", null).statusCode());
      assertEquals(207, send(dav, "PROPFIND", "/d", null, "Depth", "1").statusCode());
      String lockBody =
          "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
              + "<D:locktype><D:write/></D:locktype></D:lockinfo>";
      assertEquals(200, send(dav, "LOCK", "/d/a.txt", lockBody, "Content-Type", "application/xml").statusCode());
      assertEquals(200, send(dav, "GET", "/.cairn/admin/users", null).statusCode());
      assertEquals(405, send(dav, "PATCH", "/.cairn/admin/users", "{}").statusCode());

      server.sampleUsage(); // as the schedule does every few minutes
      HttpResponse<String> scrape = send(mgmt, "GET", "/metrics", null);
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      Set<String> series =
          scrape.body().lines()
              .filter(l -> !l.startsWith("#") && !l.isBlank())
              .map(l -> l.split("[{ ]", 2)[0])
              .collect(Collectors.toSet());
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, String> m : MetricsDoc.metrics().entrySet()) {
        for (String s : MetricsDoc.series(m.getKey(), m.getValue())) {
          if (!series.contains(s)) {
            missing.add(s);
          }
        }
      }
      assertTrue(MetricsDoc.metrics().size() >= 15, "docs/metrics.md lists the metrics");
      assertEquals(List.of(), missing, "documented in docs/metrics.md but not in the scrape");
      assertTrue(scrape.body().contains("cairn_locks_active 1.0"), "the LOCK is counted");
      assertTrue(
          scrape.body().contains("cairn_http_requests_total{front=\"admin\",method=\"GET\",status=\"2xx\"} 1.0"),
          "an admin request is counted under its front");
      assertTrue(
          scrape.body().contains("cairn_http_requests_total{front=\"admin\",method=\"PATCH\",status=\"4xx\"} 1.0"),
          "a refused admin request too");
      assertTrue(
          scrape.body().contains("cairn_http_requests_total{front=\"webdav\",method=\"PUT\",status=\"2xx\"} 2.0"),
          "WebDAV's under its own");
      assertTrue(
          scrape.body().contains("cairn_chunkstore_put_bytes_total{backend=\"fs\",result=\"present\"} 13.0"),
          "the second PUT of the same bytes is deduplicated");

      assertEquals(Set.of(), series.stream().filter(n -> n.startsWith("vertx_http_server")).collect(Collectors.toSet()),
          "no Vert.x HTTP series: each repeated a cairn_http_* one");
      assertEquals(
          List.of("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
              "10.0", "30.0", "60.0", "300.0", "+Inf"),
          bounds(scrape.body(), "cairn_http_request_duration_seconds_bucket{front=\"webdav\",method=\"PUT\""),
          "request buckets: 1 ms to 5 minutes");
      List<String> journal = bounds(scrape.body(), "cairn_journal_commit_duration_seconds_bucket{kind=\"put\",outcome=\"ok\"");
      assertEquals(16, journal.size(), journal.toString());
      assertEquals(List.of("1.0E-4", "10.0", "+Inf"), List.of(journal.getFirst(), journal.get(14), journal.getLast()));
      assertEquals(journal, bounds(scrape.body(), "cairn_chunkstore_operation_duration_seconds_bucket{backend=\"fs\",op=\"put\",outcome=\"ok\""),
          "the chunk store's are the journal's");

      assertEquals(200, send(mgmt, "GET", "/healthz", null).statusCode());
      HttpResponse<String> ready = send(mgmt, "GET", "/readyz", null);
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals(404, send(mgmt, "GET", "/d/a.txt", null).statusCode());
      assertEquals(405, send(mgmt, "POST", "/metrics", "x").statusCode());
      assertEquals(404, send(dav, "GET", "/metrics", null).statusCode(), "WebDAV paths stay the users'");
    }
  }

  @Test
  void usageReportsTheStoredBytesAndTheLargestHomesByUser(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.load(null, Map.of("port", "0", "data.dir", dir.toString()));
    try (CairnServer server = CairnServer.start(config, ADMIN_PASSWORD)) {
      server.accounts().addUser("alice", "alice-password", false);
      String alice = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8));
      int dav = server.port();
      assertEquals(201, send(dav, "PUT", "/mine.txt", "x".repeat(100)).statusCode());
      for (int i = 0; i < 3; i++) {
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dav + "/f" + i + ".txt"))
            .header("Authorization", alice).PUT(HttpRequest.BodyPublishers.ofString("y".repeat(1000))).build();
        assertEquals(201, client.send(put, HttpResponse.BodyHandlers.discarding()).statusCode());
      }
      // An overwrite replaces: usage is the live tree, not the history.
      assertEquals(204, send(dav, "PUT", "/mine.txt", "x".repeat(200)).statusCode());
      var sample = server.sampleUsage();
      assertEquals(3200, sample.logicalBytes());
      String body = send(server.managementPort(), "GET", "/metrics", null).body();
      assertTrue(body.contains("cairn_storage_logical_bytes 3200.0"), body);
      assertTrue(body.contains("cairn_user_usage_bytes{user=\"alice\"} 3000.0"), body);
      assertTrue(body.contains("cairn_user_usage_bytes{user=\"admin\"} 200.0"), body);
      assertTrue(body.contains("cairn_user_history_bytes{kind=\"versions\",user=\"admin\"} 100.0"), "the overwritten version: " + body);
      assertTrue(body.contains("cairn_user_history_bytes{kind=\"trash\",user=\"admin\"} 0.0"), body);
      assertTrue(body.contains("cairn_user_history_bytes{kind=\"versions\",user=\"alice\"} 0.0"), body);
    }
  }

  @Test
  void journalRowsAreTheRowsTheJournalHolds(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.load(null, Map.of("port", "0", "data.dir", dir.toString()));
    try (CairnServer server = CairnServer.start(config, ADMIN_PASSWORD)) {
      server.accounts().addUser("bob", "bob-password-1", false);
      server.accounts().createShared("team");
      int dav = server.port();
      long before = server.sampleUsage().journalRows();
      assertEquals(201, send(dav, "MKCOL", "/d", null).statusCode());
      assertEquals(201, send(dav, "PUT", "/d/a.txt", "one").statusCode());
      assertEquals(204, send(dav, "PUT", "/d/a.txt", "two").statusCode());
      assertEquals(201, send(dav, "COPY", "/d", null, "Destination", "http://127.0.0.1:" + dav + "/e").statusCode());
      assertEquals(201, send(dav, "MOVE", "/e", null, "Destination", "http://127.0.0.1:" + dav + "/f").statusCode());
      assertEquals(204, send(dav, "DELETE", "/f", null).statusCode());
      long rows = server.sampleUsage().journalRows();
      assertEquals(6, rows - before, "one row per change, a folder's copy, move and delete one each");
      long counted;
      try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
          var count = db.createStatement().executeQuery("SELECT count(*) FROM journal")) {
        counted = count.getLong(1);
      }
      assertEquals(counted, rows, "the sum of the namespaces' last jids is the journal's count(*)");
      String body = send(server.managementPort(), "GET", "/metrics", null).body();
      assertTrue(body.contains("cairn_journal_rows " + (double) counted), body);
    }
  }

  @Test
  void bytesSentCountWholeFilesAndRangesFromTheChunkFilesAndNothingForHead(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.load(null, Map.of("port", "0", "data.dir", dir.toString()));
    try (CairnServer server = CairnServer.start(config, ADMIN_PASSWORD)) {
      byte[] body = new byte[3 << 20];
      new java.util.Random(27).nextBytes(body);
      HttpRequest put =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/counted.bin"))
              .header("Authorization", ADMIN_BASIC)
              .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      assertEquals(201, client.send(put, HttpResponse.BodyHandlers.discarding()).statusCode());
      double before = sentByGet(server.managementPort());
      assertEquals(200, send(server.port(), "GET", "/counted.bin", null).statusCode());
      assertEquals(206, send(server.port(), "GET", "/counted.bin", null, "Range", "bytes=1000-299999").statusCode());
      assertEquals(200, send(server.port(), "HEAD", "/counted.bin", null).statusCode());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      double sent = sentByGet(server.managementPort()) - before;
      while (sent < body.length + 299_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        sent = sentByGet(server.managementPort()) - before;
      }
      String scrape = send(server.managementPort(), "GET", "/metrics", null).body();
      assertEquals(body.length + 299_000, sent, 0.0, scrape.lines().filter(l -> l.contains("sent_bytes")).toList().toString());
    }
  }

  /** The le= bounds of one histogram series, in the scrape's order. */
  private static List<String> bounds(String scrape, String seriesStart) {
    return scrape.lines()
        .filter(l -> l.startsWith(seriesStart))
        .map(l -> l.replaceAll(".*le=\"([^\"]*)\".*", "$1"))
        .toList();
  }

  private double sentByGet(int mgmt) throws Exception {
    String prefix = "cairn_http_sent_bytes_total{front=\"webdav\",method=\"GET\"} ";
    return send(mgmt, "GET", "/metrics", null).body().lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst()
        .orElse(0);
  }

  @Test
  void readinessNamesTheBackendThatDoesNotAnswer(@TempDir Path dir) {
    Journal journal = SqliteJournal.open(dir.resolve("journal.db"), Clock.systemUTC());
    var chunks = FsChunkStore.open(dir.resolve("chunks")).toCompletionStage().toCompletableFuture().join();
    try {
      journal.createNamespace("default").toCompletionStage().toCompletableFuture().join();
      Readiness readiness = new Readiness(journal, chunks, 5_000);
      readiness.check().toCompletionStage().toCompletableFuture().join();
      journal.close();
      Throwable failure =
          readiness.check().toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
      assertTrue(failure != null, "a closed journal is not ready");
      assertTrue(String.valueOf(failure.getMessage()).contains("journal: "), String.valueOf(failure));
    } finally {
      journal.close();
      chunks.close();
    }
  }
}
