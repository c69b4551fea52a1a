package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.client.SyncCommand;
import io.cairn.storage.testkit.MutableClock;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sync} over a passing hiccup: a journal outage in the middle of a run (the server
 * answers 503 with Retry-After until its PostgreSQL is back), a login lockout (429 with
 * Retry-After), and a commit whose answer is lost after it landed. The run waits, says so, and ends
 * with both sides equal, no conflict copy and nothing lost; a server that stays unavailable past
 * {@code --retry-for} ends the run with one line. No timing thresholds: each step waits for what it
 * needs, bounded.
 */
class SyncClientRetryTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @Test
  @Timeout(240)
  void aRunThatMeetsAJournalOutageWaitsForItAndEndsWithEveryFileIntact(@TempDir Path scratch) throws Exception {
    try (PostgresServer pg = PostgresServer.startOwn();
        TestServer server = TestServer.start(scratch.resolve("server"), Map.of("journal.uri", pg.newDatabase(),
            "gc.interval.hours", "0"), java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build())) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Random random = new Random(11);
      for (int d = 0; d < 20; d++) {
        Path folder = Files.createDirectories(a.resolve("folder " + d));
        for (int f = 0; f < 100; f++) {
          byte[] data = new byte[1 + random.nextInt(3000)];
          random.nextBytes(data);
          Files.write(folder.resolve("file-" + f + ".bin"), data);
        }
      }
      for (int f = 0; f < 3; f++) { // several chunks each: chunk uploads meet the outage too
        byte[] data = new byte[9 << 20];
        random.nextBytes(data);
        Files.write(a.resolve("big-" + f + ".bin"), data);
      }
      String cursor = new JsonObject(new String(server.send(ADMIN, "GET", "/.cairn/api/v1/cursor", null).body(),
          StandardCharsets.UTF_8)).getString("cursor");

      Background run = Background.sync(a, server.url("/"), clients, "--retry-for", "120");
      await(() -> filesCommitted(server, cursor) >= 50 || run.done(), "50 files committed");
      assertFalse(run.done(), "the run ended before the outage: " + run.err());
      pg.halt();
      await(() -> run.err().contains("waiting") || run.done(), "the run to wait for the server");
      // While it is down, a run that will not wait says so in one line and changes nothing half-way.
      Path other = Files.createDirectories(scratch.resolve("other"));
      Files.writeString(other.resolve("note.txt"), "written while the journal was down");
      SyncClients.Run impatient = clients.sync(other, server.url("/"), "--retry-for", "0");
      pg.restart();
      SyncClients.Run finished = run.result();

      System.out.println("the run during the outage said:\n" + finished.err() + "the impatient run said: " + impatient.err());
      finished.expect(0);
      assertTrue(finished.err().contains("waiting") && finished.err().contains("503"),
          "the run said it waited, and why: " + finished.err());
      assertEquals(2, impatient.status(), impatient.toString());
      assertEquals(1, impatient.err().strip().lines().count(), "one line: " + impatient.err());
      assertTrue(impatient.err().contains("the server stayed unavailable (503"), impatient.err());

      Path b = Files.createDirectories(scratch.resolve("b"));
      clients.sync(b, server.url("/")).expect(0);
      var here = SyncClients.files(a);
      assertEquals(2003, here.size());
      assertEquals(here, SyncClients.files(b), "every file on the server with its SHA-256");
      assertFalse(here.keySet().stream().anyMatch(p -> p.contains("conflicted copy")), "no conflict copy: " + here.keySet());
      SyncClients.Run again = clients.sync(a, server.url("/")).expect(0);
      assertTrue(again.out().contains("uploaded 0 files (0 B sent"), "nothing left to do: " + again.out());
    }
  }

  @Test
  @Timeout(120)
  void aLoginLockoutIsWaitedOutAsRetryAfterSays(@TempDir Path scratch) throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestServer server = TestServer.start(scratch.resolve("server"), Map.of(), clock)) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Files.writeString(a.resolve("hello.txt"), "hello");
      String wrong = TestServer.basic("admin", "not-the-password");
      for (int i = 0; i < 10; i++) { // the throttle locks admin out from 127.0.0.1
        server.send(wrong, "GET", "/.cairn/api/v1/cursor", null);
      }
      assertEquals(429, server.send(ADMIN, "GET", "/.cairn/api/v1/cursor", null).statusCode(), "locked out");
      clock.advance(Duration.ofSeconds(298)); // the lockout ends in 2 s of the server's time
      assertEquals("2", server.send(ADMIN, "GET", "/.cairn/api/v1/cursor", null).headers()
          .firstValue("Retry-After").orElseThrow());

      Background run = Background.sync(a, server.url("/"), clients);
      await(() -> run.err().contains("waiting") || run.done(), "the run to wait for the lockout");
      clock.advance(Duration.ofSeconds(10)); // the server's time passes as the client waits
      SyncClients.Run finished = run.result().expect(0);
      System.out.println("the run during the lockout said:\n" + finished.err());
      assertTrue(finished.err().contains("waiting 2 s for the server: 429"), "it waits as Retry-After says: " + finished.err());
      assertEquals("hello", SyncClients.serverFile(server, "/hello.txt"));
    }
  }

  @Test
  void aCommitWhoseAnswerIsLostIsRecognisedWhenSentAgain(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"));
        AnswerLosingRelay relay = new AnswerLosingRelay(server.port())) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Files.writeString(a.resolve("mine.txt"), "my content");
      relay.loseNextCommitAnswer(() -> { });

      clients.sync(a, relay.url("/")).expect(0);
      assertEquals(1, relay.lost.get(), "the commit's answer was lost once");
      assertEquals(List.of("my content"), contents(server, "/mine.txt"), "one version: the retry made no second");
      assertEquals(Map.of("/mine.txt", SyncClients.sha256("my content".getBytes(StandardCharsets.UTF_8))),
          SyncClients.files(a), "no conflict copy here");
      assertEquals(List.of("/mine.txt"), names(server), "nor on the server");
    }
  }

  @Test
  void aCommitWhoseAnswerIsLostAndThatSomeoneChangedSinceIsNoConflict(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"));
        AnswerLosingRelay relay = new AnswerLosingRelay(server.port())) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Files.writeString(a.resolve("shared.txt"), "mine");
      // The commit lands, its answer is lost, and someone writes over it before the client asks again.
      relay.loseNextCommitAnswer(() -> {
        try {
          assertEquals(204, server.send(ADMIN, "PUT", "/shared.txt", "theirs".getBytes(StandardCharsets.UTF_8)).statusCode());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      clients.sync(a, relay.url("/")).expect(0);
      assertEquals(1, relay.lost.get());
      clients.sync(a, relay.url("/")).expect(0); // the newer version arrives as any server change does
      assertEquals("theirs", Files.readString(a.resolve("shared.txt")));
      assertEquals(List.of("shared.txt"), List.of(a.toFile().list((d, n) -> !n.equals(".cairn-sync"))),
          "no conflict copy here");
      assertEquals(List.of("/shared.txt"), names(server), "nor on the server");
      assertEquals(List.of("theirs", "mine"), contents(server, "/shared.txt"), "the commit that landed is in history");
    }
  }

  /** The content of every version of {@code path}, newest first. */
  private static List<String> contents(TestServer server, String path) throws Exception {
    return SyncClients.versions(server, path).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  /** The names in the server's root. */
  private static List<String> names(TestServer server) throws Exception {
    JsonObject list = new JsonObject(new String(server.send(ADMIN, "GET", "/.cairn/api/v1/list?path=/", null).body(),
        StandardCharsets.UTF_8));
    return list.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("path")).toList();
  }

  /** Files committed since {@code cursor} (one page, up to 1,000 changes); 0 when the server cannot say. */
  private static int filesCommitted(TestServer server, String cursor) {
    try {
      var res = server.send(ADMIN, "GET", "/.cairn/api/v1/changes?limit=1000&cursor=" + SyncClients.query(cursor), null);
      if (res.statusCode() != 200) {
        return 0;
      }
      return (int) new JsonObject(new String(res.body(), StandardCharsets.UTF_8)).getJsonArray("changes").stream()
          .filter(c -> "file".equals(((JsonObject) c).getString("kind"))).count();
    } catch (Exception e) {
      return 0;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 90 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A {@code cairn sync} run on a thread of its own, whose standard error can be read as it goes. */
  static final class Background {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int status = -1;

    private Background(String[] args) {
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      thread = Thread.ofVirtual().start(() -> status = SyncCommand.run(args, o, e));
    }

    /** {@code cairn sync DIR URL --user admin --password-file F EXTRA...}, progress said line by line. */
    static Background sync(Path dir, String url, SyncClients clients, String... extra) {
      List<String> args = new java.util.ArrayList<>(List.of(dir.toString(), url, "--user", "admin", "--password-file",
          clients.passwordFile().toString()));
      args.addAll(List.of(extra));
      return new Background(args.toArray(String[]::new));
    }

    boolean done() {
      return !thread.isAlive();
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    SyncClients.Run result() throws InterruptedException {
      if (!thread.join(Duration.ofSeconds(180))) {
        throw new AssertionError("the run did not end within 180 s: " + err());
      }
      return new SyncClients.Run(status, out.toString(StandardCharsets.UTF_8), err());
    }
  }
}
