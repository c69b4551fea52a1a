package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root end to end: defaults under a data directory, persistence across restarts. */
class CairnServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<byte[]> send(int port, String method, String path, byte[] body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", TestServer.basic("admin", TestServer.ADMIN_PASSWORD))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesFromTheDataDirectoryAndKeepsItAcrossRestarts(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    byte[] body = new byte[3_000_000];
    new Random(1).nextBytes(body);
    ServerConfig config = ServerConfig.load(null, Map.of("port", "0", "data.dir", data.toString()));
    try (CairnServer server = CairnServer.start(config, TestServer.ADMIN_PASSWORD)) {
      assertEquals(201, send(server.port(), "MKCOL", "/docs", null).statusCode());
      assertEquals(201, send(server.port(), "PUT", "/docs/big.bin", body).statusCode());
    }
    assertTrue(Files.exists(data.resolve("journal.db")));
    assertTrue(Files.isDirectory(data.resolve("chunks")));
    try (CairnServer server = CairnServer.start(config, TestServer.ADMIN_PASSWORD)) {
      HttpResponse<byte[]> get = send(server.port(), "GET", "/docs/big.bin", null);
      assertEquals(200, get.statusCode());
      assertEquals(java.util.Arrays.hashCode(body), java.util.Arrays.hashCode(get.body()));
      assertEquals(body.length, get.body().length);
    }
  }

  @Test
  void refusesUnknownBackendSchemes(@TempDir Path dir) {
    ServerConfig config =
        ServerConfig.load(null, Map.of("port", "0", "data.dir", dir.toString(), "journal.uri", "mongodb://x"));
    ServerConfig.InvalidConfig e = assertThrows(ServerConfig.InvalidConfig.class, () -> CairnServer.start(config));
    assertTrue(e.getMessage().contains("journal.uri"), e.getMessage());
  }
}
