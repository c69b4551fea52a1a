package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default (SQLite and chunks on local disk) on a disk that fills up: the data
 * directory is a tmpfs of 16 MiB mounted for the test (so the machine's own disks never fill), and
 * uploads, with and without a Content-Length, go on until the disk refuses them. Every refusal is
 * 507 Insufficient Storage with a short reason, never a 500 or a stack trace; nothing refused is
 * stored (no half-written file); every upload acknowledged reads back with its SHA-256. Then the
 * operator makes room (the tmpfs grows to 64 MiB, as a disk freed or enlarged would) and the same
 * server, not restarted, stores uploads again; {@code fsck --verify} is clean.
 *
 * <p>Mounting needs root (Cairn's CI runs as root); elsewhere the test is skipped, saying so.
 * Bounded: at most 40 uploads of up to 1 MiB to fill the disk.
 */
class FullDiskTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void aFullDiskAnswers507StoresNothingHalfAndRecoversWhenRoomIsMade() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    mountTmpfs(data, "16m");
    try {
      Map<String, byte[]> acknowledged = new LinkedHashMap<>();
      List<String> refused = new ArrayList<>();
      Map<Integer, Integer> statuses = new TreeMap<>();
      Random random = new Random(42);
      try (TestServer s = TestServer.start(data, Map.of("gc.interval.hours", "0"), HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build())) {
        int consecutiveRefusals = 0;
        for (int i = 0; i < 40 && consecutiveRefusals < 4; i++) {
          byte[] content = new byte[(i % 4 == 3 ? 1 : 1024) * 1024 - random.nextInt(1000)];
          random.nextBytes(content);
          String path = "/fill-" + i + ".bin";
          HttpResponse<String> r = put(s, path, content, i % 2 == 1);
          statuses.merge(r.statusCode(), 1, Integer::sum);
          if (r.statusCode() == 201) {
            acknowledged.put(path, content);
            consecutiveRefusals = 0;
          } else {
            assertEquals(507, r.statusCode(), path + ": " + r.body());
            assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), "a stack trace: " + r.body());
            refused.add(path);
            consecutiveRefusals++;
          }
        }
        System.out.printf("FullDiskTest: uploads to a 16 MiB disk answered %s%n", statuses);
        assertTrue(refused.size() >= 2, "the disk filled up: " + statuses);
        assertStored(s, acknowledged, refused);

        // The last bytes too, by another program on the same disk: now the journal cannot grow.
        Path filler = data.resolve("filler");
        fillUp(filler);
        Map<String, Integer> tiny = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
          byte[] content = ("tiny " + i).getBytes(StandardCharsets.UTF_8);
          HttpResponse<String> put = put(s, "/tiny-" + i + ".txt", content, false);
          tiny.merge("PUT " + put.statusCode(), 1, Integer::sum);
          assertTrue(put.statusCode() == 201 || put.statusCode() == 507, "a small PUT on a full disk: " + put.statusCode() + " " + put.body());
          if (put.statusCode() == 201) {
            acknowledged.put("/tiny-" + i + ".txt", content);
          } else {
            refused.add("/tiny-" + i + ".txt");
          }
          HttpResponse<byte[]> mkcol = s.send(ADMIN, "MKCOL", "/full-" + i, null);
          tiny.merge("MKCOL " + mkcol.statusCode(), 1, Integer::sum);
          assertTrue(mkcol.statusCode() == 201 || mkcol.statusCode() == 507,
              "MKCOL on a full disk: " + mkcol.statusCode() + " " + new String(mkcol.body(), StandardCharsets.UTF_8));
        }
        System.out.printf("FullDiskTest: with no byte left, small writes answered %s%n", tiny);
        assertStored(s, acknowledged, refused);

        // Room again, as an operator makes it: the other program's file goes, the disk grows.
        Files.delete(filler);
        run("mount", "-o", "remount,size=64m", data.toString());
        byte[] after = new byte[2 << 20];
        random.nextBytes(after);
        assertEquals(201, put(s, "/after-room.bin", after, true).statusCode(), "an upload once there is room");
        acknowledged.put("/after-room.bin", after);
        assertEquals(201, s.send(ADMIN, "MKCOL", "/after-room", null).statusCode());
        assertStored(s, acknowledged, refused);
      }
      Path conf = Files.writeString(dir.resolve("fsck.properties"), "data.dir = " + data + "\n");
      CrashContract.assertFsckClean(conf, "after the disk filled up and room was made");
    } finally {
      run("umount", data.toString());
    }
  }

  /** Every acknowledged upload reads back whole; nothing refused is there. */
  private static void assertStored(TestServer s, Map<String, byte[]> acknowledged, List<String> refused) throws Exception {
    for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
      HttpResponse<byte[]> r = s.send(ADMIN, "GET", e.getKey(), null);
      assertEquals(200, r.statusCode(), e.getKey());
      assertEquals(ChunkHash.sha256(e.getValue()).hex(), ChunkHash.sha256(r.body()).hex(), e.getKey());
    }
    for (String path : refused) {
      assertEquals(404, s.send(ADMIN, "GET", path, null).statusCode(), path + " was refused but is there");
    }
  }

  /** Writes {@code file} until the disk has no byte left (bounded by the disk's 16 MiB). */
  private static void fillUp(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (var out = Files.newOutputStream(file)) {
      for (int i = 0; i < 16 * 256; i++) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  /** A PUT with a Content-Length, or chunked (no length announced, so the disk refuses mid-body). */
  private static HttpResponse<String> put(TestServer s, String path, byte[] content, boolean chunked) throws Exception {
    HttpRequest.BodyPublisher body = chunked
        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content))
        : HttpRequest.BodyPublishers.ofByteArray(content);
    try {
      return s.client.send(HttpRequest.newBuilder(URI.create(s.url(path))).timeout(Duration.ofSeconds(60))
          .header("Authorization", ADMIN).PUT(body).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A refusal must reach the client as a status, also one given before the body was read.
      throw new AssertionError(path + ": the connection broke instead of an answer: " + e, e);
    }
  }

  private static void mountTmpfs(Path dir, String size) throws Exception {
    ProcessResult r = exec("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
    Assumptions.assumeTrue(r.status() == 0,
        "a full disk is simulated on a tmpfs of its own, and mounting one is not permitted here (not root?): " + r.output());
  }

  private static void run(String... command) throws Exception {
    ProcessResult r = exec(command);
    assertEquals(0, r.status(), String.join(" ", command) + ": " + r.output());
  }

  private record ProcessResult(int status, String output) {}

  private static ProcessResult exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new ProcessResult(-1, String.join(" ", command) + " did not finish in 30 s");
    }
    return new ProcessResult(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
