package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.s3.S3ChunkStore;
import io.cairn.storage.s3.S3Config;
import io.cairn.storage.testkit.S3Server;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chunk store contract against a real S3 server (s3proxy, or {@code CAIRN_TEST_S3_URL}), and
 * what only S3 can show: bucket creation, foreign keys, retries against a dead endpoint, URIs.
 */
class S3ChunkStoreTest extends ChunkStoreContractTest {
  private static S3Server server;

  @BeforeAll
  static void startServer() {
    server = S3Server.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ChunkStore open(String name) {
    return await(S3ChunkStore.open(config(server.uri(name))));
  }

  @Override
  protected String expectedBackend() {
    return "s3";
  }

  /** Short backoff: tests against a healthy server should not wait long if it hiccups. */
  private static S3Config config(URI uri) {
    return S3Config.fromUri(uri, Map.of())
        .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void createsItsBucketWhenMissing() throws Exception {
    String bucket = "cairn-" + UUID.randomUUID().toString().substring(0, 8);
    URI uri = server.uri(bucket, "chunks");
    ChunkStore first = track(await(S3ChunkStore.open(config(uri))));
    byte[] data = bytes(2_000);
    ChunkHash hash = put(first, data);
    first.close();
    ChunkStore second = track(await(S3ChunkStore.open(config(uri))));
    assertArrayEquals(data, await(second.get(hash)).getBytes());
  }

  @Test
  void keysUnderThePrefixThatAreNotChunksAreNotListed() throws Exception {
    ChunkHash real = put(bytes(500));
    S3Config config = ((S3ChunkStore) store).config();
    String hex = ChunkHash.sha256(bytes(501)).hex();
    try (MinioAsyncClient raw =
        MinioAsyncClient.builder()
            .endpoint(config.endpoint())
            .region(config.region())
            .credentials(config.accessKey(), config.secretKey())
            // minio's default HTTP client takes seconds to build; a plain one does not.
            .httpClient(new OkHttpClient(), true)
            .build()) {
      for (String key :
          List.of(
              "readme.txt",
              hex,
              "00/00/" + hex,
              hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex + ".part",
              "zz/zz/" + hex)) {
        byte[] junk = key.getBytes();
        raw.putObject(
                PutObjectArgs.builder()
                    .bucket(config.bucket())
                    .object(config.prefix() + key)
                    .data(junk, junk.length)
                    .build())
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    }
    assertEquals(List.of(real), await(store.list(null, 100)));
    assertEquals(List.of(real), await(store.list(null, 1)));
  }

  @Test
  void aRefusedConnectionFailsTransientAfterBoundedRetries() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CairnException e = failure(S3ChunkStore.open(deadConfig(port, 3)));
    assertEquals(CairnException.Kind.TRANSIENT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("after 3 attempt"), e.getMessage());
  }

  @Test
  void anEndpointThatDropsEveryConnectionIsTriedABoundedNumberOfTimes() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    ServerSocket dropper = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor;
    CairnException e;
    try {
      dropper.setSoTimeout(100);
      acceptor = Thread.ofVirtual().start(() -> dropConnections(dropper, connections));
      e = failure(S3ChunkStore.open(deadConfig(dropper.getLocalPort(), 4)));
    } finally {
      dropper.close();
    }
    acceptor.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    assertEquals(CairnException.Kind.TRANSIENT, e.kind(), e.getMessage());
    // One connection per attempt: our retries are the only ones (minio's own are not installed).
    assertEquals(4, connections.get(), "connections");
  }

  @Test
  void aStoreWithoutCredentialsIsRefusedAtOpen() {
    S3Config noKeys = config(server.uri("no-keys")).withCredentials(null, null);
    CairnException e = failure(S3ChunkStore.open(noKeys));
    assertEquals(CairnException.Kind.INTERNAL, e.kind());
    assertTrue(e.getMessage().contains(S3Config.ACCESS_KEY_ENV), e.getMessage());
  }

  @Test
  void uriSaysWhereAndHow() {
    S3Config c =
        S3Config.fromUri(
            URI.create(
                "s3://AKID:se%2Fcr+et%3A@my-bucket/some/prefix?endpoint=http://127.0.0.1:9000"
                    + "&region=eu-west-1&attempts=7&backoffMs=15&maxBackoffMs=900&concurrency=4"),
            Map.of());
    assertEquals("http://127.0.0.1:9000", c.endpoint());
    assertEquals("eu-west-1", c.region());
    assertEquals("my-bucket", c.bucket());
    assertEquals("some/prefix/", c.prefix());
    assertEquals("AKID", c.accessKey());
    assertEquals("se/cr+et:", c.secretKey());
    assertEquals(7, c.maxAttempts());
    assertEquals(Duration.ofMillis(15), c.initialBackoff());
    assertEquals(Duration.ofMillis(900), c.maxBackoff());
    assertEquals(4, c.concurrency());
    assertTrue(!c.toString().contains("se/cr+et"), "the secret stays out of logs");

    S3Config fromEnv =
        S3Config.fromUri(
            URI.create("s3://bucket?region=us-east-1"),
            Map.of(S3Config.ACCESS_KEY_ENV, "envkey", S3Config.SECRET_KEY_ENV, "envsecret"));
    assertEquals("envkey", fromEnv.accessKey());
    assertEquals("envsecret", fromEnv.secretKey());
    assertEquals("", fromEnv.prefix());
    assertEquals("https://s3.us-east-1.amazonaws.com", fromEnv.endpoint());
    assertEquals("given", fromEnv.withCredentials("given", "x").accessKey());

    S3Config bare = S3Config.fromUri(URI.create("s3://bucket/p"), Map.of());
    assertNull(bare.accessKey());
    assertThrows(
        IllegalArgumentException.class,
        () -> S3Config.fromUri(URI.create("s3://ab/p?endpoint=http://x"), Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> S3Config.fromUri(URI.create("file:///tmp/x"), Map.of()));
  }

  private S3Config deadConfig(int port, int attempts) {
    return S3Config.fromUri(
            URI.create("s3://k:s@dead-bucket/p?region=us-east-1&endpoint=http://127.0.0.1:" + port),
            Map.of())
        .withRetries(attempts, Duration.ofMillis(5), Duration.ofMillis(20))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private static void dropConnections(ServerSocket dropper, AtomicInteger connections) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!dropper.isClosed() && System.nanoTime() < deadline) {
      try {
        Socket dropped = dropper.accept();
        connections.incrementAndGet();
        dropped.close();
      } catch (SocketTimeoutException e) {
        // Look again whether the test is over.
      } catch (IOException e) {
        return;
      }
    }
  }

  private static ChunkHash put(ChunkStore s, byte[] data) {
    ChunkHash hash = ChunkHash.sha256(data);
    assertTrue(await(s.put(hash, Buffer.buffer(data))));
    return hash;
  }
}
