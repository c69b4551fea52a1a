package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's quota: 507 before and while streaming, the old content kept, the properties true. The
 * disk's free space bounds every PUT, quota or not.
 */
class QuotaTest {

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static long prop(String xml, String name) {
    Matcher m = Pattern.compile("<D:" + name + ">(\\d+)</D:" + name + ">").matcher(xml);
    assertTrue(m.find(), name + " in " + xml);
    return Long.parseLong(m.group(1));
  }

  @Test
  void putsOverQuotaAre507AndLeaveTheOldContent(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir.resolve("data"))) {
      s.server.accounts().addUser("gina", "gina-password", false);
      s.server.accounts().setQuota("gina", 1_000_000);
      String gina = TestServer.basic("gina", "gina-password");
      byte[] a = random(600_000, 1);
      assertEquals(201, s.send(gina, "PUT", "/a.bin", a).statusCode());
      // announced length over quota: refused up front
      assertEquals(507, s.send(gina, "PUT", "/b.bin", random(600_000, 2)).statusCode());
      // overwrite over quota: refused, old content stays
      assertEquals(507, s.send(gina, "PUT", "/a.bin", random(1_200_000, 3)).statusCode());
      // streamed without a length (chunked): counted while streaming, refused, nothing committed
      HttpRequest chunked =
          HttpRequest.newBuilder(URI.create(s.url("/c.bin")))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", gina)
              .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(random(2_000_000, 4))))
              .build();
      assertEquals(507, s.client.send(chunked, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      assertEquals(404, s.send(gina, "GET", "/c.bin", null).statusCode());
      assertEquals(404, s.send(gina, "GET", "/b.bin", null).statusCode());
      assertArrayEquals(a, s.send(gina, "GET", "/a.bin", null).body());
      // within quota, an overwrite counts the bytes it replaces
      byte[] a2 = random(900_000, 5);
      assertEquals(204, s.send(gina, "PUT", "/a.bin", a2).statusCode());
      String xml =
          new String(
              s.send(gina, "PROPFIND", "/", ("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
                      + "<D:quota-used-bytes/><D:quota-available-bytes/></D:prop></D:propfind>").getBytes(StandardCharsets.UTF_8),
                  "Depth", "0").body(),
              StandardCharsets.UTF_8);
      long used = prop(xml, "quota-used-bytes");
      assertEquals(a2.length, used);
      assertEquals(s.server.journal().namespace("home:gina").toCompletionStage().toCompletableFuture().join().usedBytes(), used);
      assertEquals(1_000_000 - a2.length, prop(xml, "quota-available-bytes"));
      // raising the quota takes effect at once
      s.server.accounts().setQuota("gina", 3_000_000);
      assertEquals(201, s.send(gina, "PUT", "/b.bin", random(600_000, 2)).statusCode());
    }
  }

  @Test
  void aPutLargerThanTheDiskIs507WithoutA100ContinueEvenWithoutAQuota(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir.resolve("data"))) {
      s.server.accounts().addUser("hal", "hal-password", false);
      String hal = TestServer.basic("hal", "hal-password");
      String xml =
          new String(
              s.send(hal, "PROPFIND", "/", ("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>"
                      + "<D:quota-available-bytes/></D:prop></D:propfind>").getBytes(StandardCharsets.UTF_8),
                  "Depth", "0").body(),
              StandardCharsets.UTF_8);
      assertTrue(prop(xml, "quota-available-bytes") > 0, "the data directory's free space: " + xml);
      try (Socket socket = new Socket("127.0.0.1", s.port())) {
        socket.setSoTimeout(10_000);
        // an exbibyte: more than any disk this runs on has free
        socket.getOutputStream().write(("PUT /exbibyte.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + hal
            + "\r\nContent-Length: " + (1L << 60) + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 507", head, "the final answer first, no 100 Continue");
      }
      assertEquals(404, s.send(hal, "GET", "/exbibyte.bin", null).statusCode());
    }
  }
}
