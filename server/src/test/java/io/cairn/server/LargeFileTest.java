package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB PUT and GET against the packaged jar running with a 256 MiB heap: proves that neither
 * direction holds a body in memory. Needs {@code server/target/cairn.jar}, so it runs on request
 * only, after packaging:
 *
 * <pre>
 * mvn -B -o -q install -DskipTests
 * mvn -B -o -pl server surefire:test -Dtest=LargeFileTest -Dcairn.largeFile=true
 * </pre>
 *
 * It prints the throughput of both directions; it asserts only correctness.
 */
@EnabledIfSystemProperty(named = "cairn.largeFile", matches = "true")
class LargeFileTest {
  static final long SIZE = Long.getLong("cairn.largeFile.bytes", 1L << 30);

  @Test
  void oneGibibyteThroughASmallHeap(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target/cairn.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "package the server first: " + jar);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server =
        new ProcessBuilder(
                List.of(java.toString(), "-Xmx256m", "-jar", jar.toString(), "--port", "" + port, "--data", dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    try {
      waitForPort(port, server);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      long t0 = System.nanoTime();
      HttpResponse<String> put =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big.bin"))
                  .timeout(Duration.ofMinutes(30))
                  .PUT(HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE, sent)), SIZE))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      assertEquals(201, put.statusCode(), put.body());
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      long received = 0;
      HttpResponse<InputStream> get =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big.bin"))
                  .timeout(Duration.ofMinutes(30))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = get.body()) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          got.update(buf, 0, n);
          received += n;
        }
      }
      long t2 = System.nanoTime();
      assertEquals(200, get.statusCode());
      assertEquals(SIZE, received);
      assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(got.digest()));
      System.out.printf(
          "LargeFileTest: %d MiB with -Xmx256m: PUT %.0f MB/s, GET %.0f MB/s%n",
          SIZE >> 20, SIZE / ((t1 - t0) / 1e3), SIZE / ((t2 - t1) / 1e3));
      assertTrue(server.isAlive(), "the server survived");
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static void waitForPort(int port, Process server) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server exited with " + server.exitValue());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the server did not listen on " + port);
  }

  /** {@code size} pseudo-random bytes, generated as read and digested on the way. */
  private static final class Generated extends InputStream {
    private final SplittableRandom random = new SplittableRandom(42);
    private final MessageDigest digest;
    private long left;

    Generated(long size, MessageDigest digest) {
      this.left = size;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i += 8) {
        long r = random.nextLong();
        for (int j = 0; j < 8 && i + j < n; j++) {
          b[off + i + j] = (byte) (r >>> (8 * j));
        }
      }
      digest.update(b, off, n);
      left -= n;
      return n;
    }
  }
}
