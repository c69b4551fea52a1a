package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.UploadLoad.Attempt;
import io.cairn.server.UploadLoad.Outcome;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend stopped in the middle of uploads and started again, while the server keeps running:
 * PostgreSQL (the journal and the users) as a crash stops it, then, in the other test, s3proxy
 * (the chunks) killed with SIGKILL. What an operator and a user see:
 *
 * <ul>
 *   <li>while it is down, requests fail cleanly: 503 Service Unavailable (the TRANSIENT kind), or
 *       succeed from what the server holds in memory; never a 500, never a stack trace;
 *   <li>{@code /readyz} on the management port answers 503 naming the backend, and 200 again once
 *       it is back;
 *   <li>the server recovers by itself (its connections to the backend are made again, no restart)
 *       and acknowledges uploads again;
 *   <li>every upload acknowledged before, during or after the outage reads back with its SHA-256
 *       ({@link LedgerCheck}), no file is torn, and {@code fsck --verify} is clean.
 * </ul>
 *
 * <p>Bounded: 8 clients; each phase waits at most 20–30 s for what it needs (acknowledgements,
 * readiness), and the outage lasts 3 s after {@code /readyz} noticed it.
 */
class BackendOutageTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  static final int CLIENTS = 8;
  static final Duration OUTAGE = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void postgresqlStoppedMidLoadAnswers503ThenRecoversWithoutLosingAnAcknowledgedWrite() throws Exception {
    try (PostgresServer pg = PostgresServer.startOwn()) {
      Map<String, String> storage = Map.of("journal.uri", pg.newDatabase(),
          "chunks.uri", S3Server.shared().uri("outage-pg-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toString());
      outageMidLoad(storage, "journal", pg::halt, pg::restart);
    }
  }

  @Test
  @Timeout(120)
  void s3StoppedMidLoadAnswers503ThenRecoversWithoutLosingAnAcknowledgedWrite() throws Exception {
    try (S3Server s3 = S3Server.startOwn()) {
      Map<String, String> storage = Map.of("journal.uri", PostgresServer.shared().newDatabase(),
          "chunks.uri", s3.uri("outage-s3").toString());
      outageMidLoad(storage, "chunk store", s3::halt, s3::restart);
    }
  }

  private void outageMidLoad(Map<String, String> storage, String backend, Runnable stop, Runnable start) throws Exception {
    long seed = System.nanoTime();
    String name = backend + " outage (seed " + seed + ")";
    Map<String, String> config = new HashMap<>(storage);
    config.put("gc.interval.hours", "0");
    UploadLoad load = new UploadLoad(seed, 4, 8, 25);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try (TestServer s = TestServer.start(dir.resolve("data"), config, http)) {
      String readyz = "http://127.0.0.1:" + s.server.managementPort() + "/readyz";
      assertEquals(200, get(http, readyz).statusCode(), "ready before the outage");
      Thread clients = Thread.ofVirtual().start(() -> {
        try {
          load.run(s::url, ADMIN, CLIENTS, 10_000, seed, Duration.ofSeconds(75));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        awaitTrue(() -> load.count(Outcome.ACKED) >= 10, Duration.ofSeconds(20), "10 uploads acknowledged before the outage");
        long down = System.nanoTime();
        stop.run();
        HttpResponse<byte[]> notReady = awaitStatus(http, readyz, 503, Duration.ofSeconds(15));
        long noticed = System.nanoTime();
        String why = new String(notReady.body(), StandardCharsets.UTF_8);
        assertTrue(why.contains(backend), "/readyz names the " + backend + ": " + why);
        Thread.sleep(OUTAGE.toMillis());
        String acknowledged = load.attempts().stream().filter(a -> a.outcome() == Outcome.ACKED).findFirst().orElseThrow().path();
        Map<String, Integer> probes = probe(s, acknowledged);
        long up = System.nanoTime();
        start.run();
        long started = System.nanoTime();
        awaitStatus(http, readyz, 200, Duration.ofSeconds(30));
        long readyAgain = System.nanoTime();
        awaitTrue(() -> load.attempts().stream().filter(a -> a.outcome() == Outcome.ACKED && a.started() > readyAgain)
            .count() >= 10, Duration.ofSeconds(30), "10 uploads acknowledged after the backend came back");
        load.stop();
        clients.join(Duration.ofSeconds(90));

        List<Attempt> attempts = load.attempts();
        List<Attempt> during = attempts.stream().filter(a -> a.ended() > down && a.started() < up).toList();
        Map<Integer, Long> refusedStatuses = new TreeMap<>();
        attempts.stream().filter(a -> a.outcome() == Outcome.REFUSED)
            .forEach(a -> refusedStatuses.merge(a.status(), 1L, Long::sum));
        System.out.printf("%s: %d uploads acknowledged, %d refused %s, %d cut; %d overlapped the outage "
                + "(%d acknowledged); probes while down: %s; the backend took %d ms to start, the node was ready %d ms later; "
                + "%d ms from the stop to readyz's 503%n",
            name, load.count(Outcome.ACKED), load.count(Outcome.REFUSED), refusedStatuses, load.count(Outcome.CUT),
            during.size(), during.stream().filter(a -> a.outcome() == Outcome.ACKED).count(), probes,
            TimeUnit.NANOSECONDS.toMillis(started - up), TimeUnit.NANOSECONDS.toMillis(readyAgain - started),
            TimeUnit.NANOSECONDS.toMillis(noticed - down));
        assertEquals(Set.of(503), refusedStatuses.keySet(), name + ": an upload refused for anything but 503");
        assertTrue(during.stream().anyMatch(a -> a.outcome() == Outcome.REFUSED), name + ": no upload met the outage");
        assertTrue(probes.containsValue(503), name + ": no probe saw the outage: " + probes);
        assertEquals(List.of(), new LedgerCheck(s::url, ADMIN).problems(attempts), name);
        CrashContract.assertFsckClean(fsckConfig(storage), "after the " + name);
      } finally {
        load.stop();
        clients.join(Duration.ofSeconds(90));
      }
    }
  }

  /**
   * One request of each kind a user sends while the backend is down: a read of an acknowledged file, a listing,
   * an upload, a new folder, a sync API call. Each must answer a success or 503 with Retry-After,
   * with no stack trace in its body; the statuses by request.
   */
  private static Map<String, Integer> probe(TestServer s, String acknowledged) throws Exception {
    Map<String, Integer> statuses = new TreeMap<>();
    record Probe(String what, String method, String path, byte[] body, String[] headers) {}
    List<Probe> probes = new ArrayList<>(List.of(
        new Probe("GET", "GET", acknowledged, null, new String[0]),
        new Probe("PROPFIND", "PROPFIND", "/", null, new String[] {"Depth", "1"}),
        new Probe("PUT", "PUT", "/probe.txt", "while down".getBytes(StandardCharsets.UTF_8), new String[0]),
        new Probe("MKCOL", "MKCOL", "/probe-folder", null, new String[0]),
        new Probe("api list", "GET", "/.cairn/api/v1/list?path=/", null, new String[0])));
    for (Probe p : probes) {
      HttpResponse<byte[]> r = s.send(ADMIN, p.method(), p.path(), p.body(), p.headers());
      String body = new String(r.body(), StandardCharsets.UTF_8);
      statuses.put(p.what(), r.statusCode());
      assertTrue(r.statusCode() < 300 || r.statusCode() == 503,
          p.what() + " while the backend is down: " + r.statusCode() + " " + body);
      assertTrue(!body.contains("Exception") && !body.contains("\tat "), p.what() + " shows a stack trace: " + body);
      if (r.statusCode() == 503) {
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), p.what() + ": a 503 says when to try again");
      }
    }
    return statuses;
  }

  private Path fsckConfig(Map<String, String> storage) throws Exception {
    StringBuilder b = new StringBuilder("data.dir = " + dir.resolve("data") + "\n");
    storage.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
    return Files.writeString(dir.resolve("fsck.properties"), b.toString());
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> awaitStatus(HttpClient http, String url, int status, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpResponse<byte[]> last;
    do {
      last = get(http, url);
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(url + " still answers " + last.statusCode() + " after " + limit.toSeconds() + " s: "
        + new String(last.body(), StandardCharsets.UTF_8));
  }

  private static void awaitTrue(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
