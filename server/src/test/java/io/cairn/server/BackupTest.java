package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn backup} through the entry point the command line uses ({@link Main#backup}), while
 * the server runs and a client keeps uploading: a second server started on the copy serves every
 * file acknowledged before the backup began, with its history and trash, and fsck --verify finds
 * the copy clean; a second backup into the same target copies only the new chunks.
 */
class BackupTest {
  @TempDir Path dir;
  static final String ALICE = TestServer.basic("alice", "alice-password");

  record Run(int status, String out, String err) {}

  static Run backup(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.backup(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run fsckVerify(Path data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.fsck(new String[] {"--verify", "--data", data.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), "");
  }

  @Test
  void aBackupTakenWhileUploadsContinueStartsAsAServerWithEveryAcknowledgedFile() throws Exception {
    Path data = dir.resolve("data");
    Path target = dir.resolve("backup");
    Map<String, byte[]> acknowledged = new LinkedHashMap<>();
    String history;
    String trash;
    try (TestServer s = TestServer.start(data)) {
      s.server.accounts().addUser("alice", "alice-password", false);
      mkcol(s, "/docs");
      mkcol(s, "/docs/deep");
      put(s, acknowledged, "/docs/a.bin", random(1, 1_500_000));
      put(s, acknowledged, "/docs/deep/b.bin", random(2, 1_000_000));
      put(s, acknowledged, "/report.txt", random(3, 200_000));
      put(s, acknowledged, "/report.txt", random(4, 300_000));
      put(s, acknowledged, "/report.txt", random(5, 250_000));
      put(s, new LinkedHashMap<>(), "/gone.bin", random(6, 400_000));
      assertEquals(204, s.send(ALICE, "DELETE", "/gone.bin", null).statusCode());
      history = get(s, "/.cairn/api/v1/history?path=" + enc("/report.txt"));
      trash = get(s, "/.cairn/api/v1/trash?path=" + enc("/"));

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger written = new AtomicInteger();
      Map<String, byte[]> uploads = new java.util.concurrent.ConcurrentHashMap<>();
      mkcol(s, "/live");
      Thread writer = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 200 && !stop.get(); i++) { // bounded: stops when the backup is done
          try {
            byte[] body = random(100 + i, 300_000);
            if (s.send(ALICE, "PUT", "/live/w" + i + ".bin", body).statusCode() == 201) {
              uploads.put("/live/w" + i + ".bin", body);
            }
            written.incrementAndGet();
          } catch (Exception e) {
            return;
          }
        }
      });
      Run first;
      try {
        while (written.get() < 2 && writer.isAlive()) {
          Thread.sleep(10);
        }
        acknowledged.putAll(uploads); // acknowledged before the backup began: the copy must have them
        first = backup(target.toString(), "--data", data.toString());
      } finally {
        stop.set(true);
        writer.join(60_000);
      }
      assertEquals(0, first.status(), first.out() + first.err());
      assertTrue(acknowledged.keySet().stream().anyMatch(p -> p.startsWith("/live/")), "uploads went on");
      assertTrue(first.out().startsWith("backup: ") && first.out().lines().count() == 1, first.out());
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("journal.db"))));

      Run clean = fsckVerify(target);
      assertEquals(0, clean.status(), clean.out());
      try (TestServer restored = TestServer.start(target)) {
        for (Map.Entry<String, byte[]> f : acknowledged.entrySet()) {
          var r = restored.send(ALICE, "GET", f.getKey(), null);
          assertEquals(200, r.statusCode(), f.getKey());
          assertArrayEquals(sha256(f.getValue()), sha256(r.body()), f.getKey());
        }
        assertEquals(history, get(restored, "/.cairn/api/v1/history?path=" + enc("/report.txt")));
        assertEquals(trash, get(restored, "/.cairn/api/v1/trash?path=" + enc("/")));
        Matcher versions = Pattern.compile("\"version\": ?(\\d+)").matcher(history);
        String oldestVersion = null;
        while (versions.find()) {
          oldestVersion = versions.group(1); // newest first: the last is the oldest
        }
        var oldest = restored.send(ALICE, "GET",
            "/.cairn/api/v1/content?path=" + enc("/report.txt") + "&version=" + oldestVersion, null);
        assertEquals(200, oldest.statusCode(), history);
        assertArrayEquals(sha256(random(3, 200_000)), sha256(oldest.body()), "the oldest version");

        Run intoALiveServer = backup(target.toString(), "--data", data.toString());
        assertEquals(2, intoALiveServer.status(), intoALiveServer.out() + intoALiveServer.err());
        assertTrue(intoALiveServer.err().lines().anyMatch(l -> l.contains("a server runs on")), intoALiveServer.err());
        assertEquals(200, restored.send(ALICE, "GET", "/docs/a.bin", null).statusCode(), "still serving");
      }

      byte[] fresh = random(7, 300_000);
      put(s, acknowledged, "/after.bin", fresh);
      long inTarget = chunkFiles(target);
      long inSource = chunkFiles(data);
      Run second = backup(target.toString(), "--copy", "--data", data.toString());
      assertEquals(0, second.status(), second.out() + second.err());
      assertTrue(inSource > inTarget, inSource + " > " + inTarget);
      Matcher m = Pattern.compile(" (\\d+) new chunks of (\\d+)").matcher(second.out());
      assertTrue(m.find(), second.out());
      assertEquals(inSource - inTarget, Long.parseLong(m.group(1)), "only the new chunks: " + second.out());
      assertEquals(inSource, chunkFiles(target));
      assertTrue(Files.exists(target.resolve("chunks").resolve(hex(fresh).substring(0, 2)).resolve(hex(fresh).substring(2, 4))
          .resolve(hex(fresh))), "the chunk written after the first backup");
      Run cleanAgain = fsckVerify(target);
      assertEquals(0, cleanAgain.status(), cleanAgain.out());
    }
    Path stopped = dir.resolve("backup-of-a-stopped-server");
    Run cold = backup(stopped.toString(), "--data", data.toString());
    assertEquals(0, cold.status(), cold.out() + cold.err());
    try (TestServer restored = TestServer.start(stopped)) {
      var r = restored.send(ALICE, "GET", "/after.bin", null);
      assertArrayEquals(sha256(acknowledged.get("/after.bin")), sha256(r.body()), "after.bin");
    }
  }

  @Test
  void aForeignTargetAndAPostgresqlConfigurationAreRefusedInOneLine() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path foreign = dir.resolve("photos");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("holiday.jpg"), "not a backup");
    Run r = backup(foreign.toString(), "--data", data.toString());
    assertEquals(2, r.status());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("neither empty nor a previous backup"), r.err());
    assertEquals(List.of("holiday.jpg"), list(foreign), "nothing written there");

    Path config = dir.resolve("pg.properties");
    Files.writeString(config, "journal.uri = postgresql://127.0.0.1:1/cairn\n");
    Run pg = backup(dir.resolve("empty").toString(), "--config", config.toString());
    assertEquals(2, pg.status());
    assertEquals(1, pg.err().lines().count(), pg.err());
    assertTrue(pg.err().contains("docs/operations.md"), pg.err());
  }

  @Test
  void aBackupThatOutlastsTheGraceExitsOneAndSaysWhatToDo() throws Exception {
    Path data = dir.resolve("data");
    try (TestServer s = TestServer.start(data)) {
      s.server.accounts().addUser("alice", "alice-password", false);
      put(s, new LinkedHashMap<>(), "/a.bin", random(8, 100_000));
    }
    java.time.Instant[] now = {java.time.Instant.parse("2026-01-01T00:00:00Z")};
    java.time.Clock slow = new java.time.Clock() { // every reading 25 h after the last: past the 24 h grace
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        now[0] = now[0].plus(java.time.Duration.ofHours(25));
        return now[0];
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new io.cairn.server.backup.BackupCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), slow, java.time.Duration.ofDays(365))
        .run(List.of(dir.resolve("late").toString(), "--data", data.toString()));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, out + e);
    assertTrue(e.contains("took longer than gc.grace.hours (24 h)") && e.contains("cairn fsck"), e);
  }

  private static List<String> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static long chunkFiles(Path data) throws IOException {
    try (Stream<Path> s = Files.walk(data.resolve("chunks"))) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
    }
  }

  private static void mkcol(TestServer s, String path) throws Exception {
    assertEquals(201, s.send(ALICE, "MKCOL", path, null).statusCode(), path);
  }

  private static void put(TestServer s, Map<String, byte[]> acknowledged, String path, byte[] body) throws Exception {
    int status = s.send(ALICE, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
    acknowledged.put(path, body);
  }

  private static String get(TestServer s, String path) throws Exception {
    var r = s.send(ALICE, "GET", path, null);
    assertEquals(200, r.statusCode(), path);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String enc(String path) {
    return URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  private static String hex(byte[] content) {
    return ChunkHash.sha256(content).hex();
  }

  private static byte[] sha256(byte[] content) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(content);
  }

  private static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
