package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cairn.core.ChunkHash;
import io.cairn.server.scrub.ScrubPosition;
import io.cairn.server.scrub.ScrubSchedule;
import io.cairn.storage.users.UserNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The background scrub (ADR 0016) on one backend pair: a chunk whose bytes were flipped in place
 * behind the server's back is found by the next pass, counted, logged with the path that needs it,
 * shown by /readyz (which stays 200) and recorded as damaged, so GET answers a clear error.
 */
abstract class ScrubContract {
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String NS = UserNames.home("alice");
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** Bounds every wait of these tests. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  Path dir;
  TestServer s;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults in dir). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  /** Where this backend keeps the bytes of chunk {@code hash}. */
  abstract Path chunkFile(ChunkHash hash);

  @AfterEach
  void stop() throws Exception {
    if (s != null) {
      s.close();
    }
    if (dir != null) {
      SyncClientConflictTest.deleteTree(dir);
    }
  }

  @Test
  void aChunkFlippedInPlaceIsFoundCountedLoggedWithItsPathShownByReadinessAndRefusedToReaders() throws Exception {
    dir = Files.createTempDirectory("cairn-scrub");
    Map<String, String> config = new HashMap<>(storage(dir));
    config.put("scrub.rate.bytes.per.second", "1G");
    s = TestServer.start(dir, config, java.time.Clock.systemUTC());
    s.server.accounts().addUser("alice", "alice-password", false);
    byte[] a = random(21, 70_000);
    put("/a.bin", a);
    put("/b.bin", random(22, 60_000));
    ScrubPosition clean = scrubNow();
    assertEquals(0, clean.damaged(), clean.toString());
    assertTrue(clean.checked() >= 2, clean.toString());
    assertEquals(0.0, metric("cairn_scrub_mismatches_total"));

    // Read before the damage: a node that keeps the records in memory has them then (ADR 0016).
    assertEquals(200, s.send(ALICE, "GET", "/a.bin", null).statusCode());
    Path file = chunkFile(ChunkHash.sha256(a));
    byte[] flipped = Files.readAllBytes(file);
    flipped[100] ^= 0x01;
    Files.write(file, flipped);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(ScrubSchedule.class);
    logger.addAppender(log);
    ScrubPosition found;
    try {
      found = scrubNow();
    } finally {
      logger.detachAppender(log);
    }
    assertEquals(1, found.damaged(), found.toString());
    io.vertx.core.json.JsonObject shown = new io.vertx.core.json.JsonObject(new String(s.send(
        TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "GET", "/.cairn/admin/status", null).body(), StandardCharsets.UTF_8))
        .getJsonObject("scrub");
    assertEquals(1, shown.getLong("damagedChunks"), "the admin status shows the pass: " + shown);
    assertEquals(found.checked(), shown.getLong("checkedChunks"));
    assertEquals(found.passEnded().toEpochMilli(), shown.getLong("passEndedAt"));
    assertEquals(1.0, metric("cairn_scrub_mismatches_total"));
    assertEquals(1.0, metric("cairn_damaged_chunks"));
    assertTrue(metric("cairn_scrub_checked_chunks_total") >= 4, "two passes of two chunks or more");
    List<String> warnings = log.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.getFirst().startsWith("scrub: chunk " + ChunkHash.sha256(a).hex() + " does not hash to its name"),
        warnings.getFirst());
    assertTrue(warnings.getFirst().endsWith(NS + ":/a.bin (live), " + NS + ":/a.bin (version jid 1)"), warnings.getFirst());

    HttpResponse<String> ready = management("/readyz");
    assertEquals(200, ready.statusCode(), "readiness stays up");
    assertTrue(ready.body().startsWith("ready\nwarning: 1 damaged chunks recorded (first " + ChunkHash.sha256(a).hex()), ready.body());
    HttpResponse<byte[]> get = s.send(ALICE, "GET", "/a.bin", null);
    assertEquals(500, get.statusCode());
    assertTrue(new String(get.body(), StandardCharsets.UTF_8).startsWith("the content of /a.bin is damaged: chunk "
        + ChunkHash.sha256(a).hex() + " does not hash to its name"));
    assertEquals(200, s.send(ALICE, "GET", "/b.bin", null).statusCode(), "the rest reads as before");
  }

  /** A whole pass now; waits (bounded) while the schedule's own pass holds the lease. */
  ScrubPosition scrubNow() throws InterruptedException {
    long until = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < until) {
      ScrubPosition p = s.server.scrubNow();
      if (p != null) {
        assertNotNull(p.passEnded(), "the pass ran to its end: " + p);
        return p;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the scrub lease stayed taken for " + PATIENCE);
  }

  HttpResponse<String> management(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server.managementPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one series in a scrape of the management port; -1 when absent. */
  double metric(String series) throws Exception {
    return metric(management("/metrics").body(), series);
  }

  static double metric(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst().orElse(-1);
  }

  void put(String path, byte[] body) throws Exception {
    int status = s.send(ALICE, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
  }

  static byte[] random(long seed, int size) {
    return FsckTest.random(seed, size);
  }
}
