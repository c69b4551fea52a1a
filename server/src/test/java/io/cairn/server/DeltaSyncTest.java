package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.chunk.Chunk;
import io.cairn.core.chunk.ChunkStream;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta sync through the sync API as a client does it: cut the file with the server's chunker,
 * ask which chunks are missing, upload those, commit the blocklist. A 256 MiB file edited by
 * inserting 1 KiB in its middle costs under 1% of its bytes on the wire, counted by the server.
 */
class DeltaSyncTest {
  static final long SIZE = 256L << 20;
  static final String API = "/.cairn/api/v1/";

  static String sha256(InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    for (int n = in.read(buf); n > 0; n = in.read(buf)) {
      d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** The request body bytes the API front has received so far, from the server's own metrics. */
  static double received(TestServer s) throws Exception {
    String prefix = "cairn_http_received_bytes_total{front=\"api\",";
    HttpResponse<byte[]> scrape = s.client.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + s.server.managementPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new String(scrape.body(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void insertingOneKibInTheMiddleOfA256MibFileUploadsUnderOnePercent(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
      ApiSync client = new ApiSync("http://127.0.0.1:" + s.port(), admin, new Chunker(ChunkerParams.DEFAULT));
      double before = received(s);
      JsonObject first = client.upload("/big.bin", null, () -> Synthetic.content(SIZE, Synthetic.Edit.NONE));
      double firstBytes = received(s) - before;
      assertTrue(firstBytes >= SIZE, "the first version is uploaded whole: " + firstBytes);
      long version = first.getLong("version");
      before = received(s);
      JsonObject second = client.upload("/big.bin", version, () -> Synthetic.content(SIZE, Synthetic.Edit.insert(SIZE / 2, 1024)));
      double secondBytes = received(s) - before;
      assertTrue(secondBytes < SIZE / 100.0, "the edit cost " + secondBytes + " bytes of " + SIZE);
      assertTrue(second.getLong("version") > version);
      HttpResponse<InputStream> got = s.client.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url("/big.bin"))).header("Authorization", admin).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = got.body()) {
        assertEquals(sha256(Synthetic.content(SIZE, Synthetic.Edit.insert(SIZE / 2, 1024))), sha256(in), "the server has exactly the edited file");
      }
      System.out.printf("delta sync: first version %.0f bytes received, 1 KiB insert %.0f bytes (%.3f%%)%n",
          firstBytes, secondBytes, 100 * secondBytes / SIZE);
    }
  }
}
