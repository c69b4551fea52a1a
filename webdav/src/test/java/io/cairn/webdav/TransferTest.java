package io.cairn.webdav;

import io.cairn.files.Await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ContentHash;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PUT and GET of content through the chunker and the chunk store, whole and in ranges. */
class TransferTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void roundTripsContentOfManySizes() {
    int[] sizes = {0, 1, 4095, 4096, 70_000, 1_000_000, 3_000_000};
    for (int size : sizes) {
      byte[] body = random(size, size);
      String path = "/rt-" + size + ".bin";
      HttpResponse<byte[]> put = dav.put(path, body);
      assertEquals(201, put.statusCode(), "PUT of " + size);
      HttpResponse<byte[]> get = dav.get(path);
      assertEquals(200, get.statusCode());
      assertEquals(TestDav.sha256(body), TestDav.sha256(get.body()), "content of " + size);
      assertEquals(put.headers().firstValue("ETag"), get.headers().firstValue("ETag"));
      Entry e = Await.result(dav.journal.entry(TestDav.NS, path));
      assertEquals(size, e.size());
      assertEquals(size, e.blocklist().size());
      if (size >= 1_000_000) {
        assertTrue(e.blocklist().blocks().size() > 10, "small test chunks make many blocks");
      }
    }
  }

  @Test
  void overwriteAnswers204AndChangesTheEtagOnlyWithTheContent() {
    byte[] a = "version a".getBytes(StandardCharsets.UTF_8);
    assertEquals(201, dav.put("/ow.txt", a).statusCode());
    String etagA = dav.get("/ow.txt").headers().firstValue("ETag").orElseThrow();
    assertEquals(204, dav.put("/ow.txt", a).statusCode());
    assertEquals(etagA, dav.get("/ow.txt").headers().firstValue("ETag").orElseThrow());
    assertEquals(204, dav.put("/ow.txt", "version b".getBytes(StandardCharsets.UTF_8)).statusCode());
    HttpResponse<byte[]> b = dav.get("/ow.txt");
    assertEquals("version b", TestDav.text(b));
    assertTrue(!etagA.equals(b.headers().firstValue("ETag").orElseThrow()));
    assertTrue(etagA.startsWith("\"") && etagA.endsWith("\""), "strong ETag");
  }

  @Test
  void aSmallFileOfSeveralChunksComesBackWholeAndInRanges() {
    // Up to 64 KiB goes as bytes, not chunk files: the chunks of such a file are gathered into
    // one end of the response, the first of them as the store gave it.
    for (int size : new int[] {40_000, 65_536}) {
      byte[] body = random(size + 1, size);
      String path = "/small-" + size + ".bin";
      assertEquals(201, dav.put(path, body).statusCode());
      Entry e = Await.result(dav.journal.entry(TestDav.NS, path));
      assertTrue(e.blocklist().blocks().size() > 1, size + " bytes make several chunks");
      HttpResponse<byte[]> get = dav.get(path);
      assertEquals(String.valueOf(size), get.headers().firstValue("Content-Length").orElseThrow());
      assertArrayEquals(body, get.body(), "content of " + size);
      long firstChunk = e.blocklist().blocks().get(0).length();
      int from = (int) firstChunk - 100;
      int to = (int) firstChunk + 100;
      HttpResponse<byte[]> across = dav.get(path, "Range", "bytes=" + from + "-" + to);
      assertEquals(206, across.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, from, to + 1), across.body());
      HttpResponse<byte[]> inFirst = dav.get(path, "Range", "bytes=10-19");
      assertArrayEquals(Arrays.copyOfRange(body, 10, 20), inFirst.body());
    }
  }

  @Test
  void headAnswersHeadersWithoutBody() {
    byte[] body = random(7, 12345);
    dav.put("/head.bin", body);
    HttpResponse<byte[]> head = dav.send("HEAD", "/head.bin", (byte[]) null);
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
    assertEquals("12345", head.headers().firstValue("Content-Length").orElseThrow());
    assertTrue(head.headers().firstValue("Last-Modified").isPresent());
    assertEquals("bytes", head.headers().firstValue("Accept-Ranges").orElseThrow());
  }

  @Test
  void rangesAcrossChunkBoundariesAnswer206() {
    byte[] body = random(11, 500_000);
    dav.put("/range.bin", body);
    Random r = new Random(5);
    for (int i = 0; i < 25; i++) {
      int from = r.nextInt(body.length);
      int to = Math.min(body.length - 1, from + r.nextInt(200_000));
      HttpResponse<byte[]> get = dav.get("/range.bin", "Range", "bytes=" + from + "-" + to);
      assertEquals(206, get.statusCode());
      assertEquals(
          "bytes " + from + "-" + to + "/" + body.length,
          get.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(body, from, to + 1), get.body());
    }
    HttpResponse<byte[]> suffix = dav.get("/range.bin", "Range", "bytes=-10");
    assertArrayEquals(Arrays.copyOfRange(body, body.length - 10, body.length), suffix.body());
    HttpResponse<byte[]> beyond = dav.get("/range.bin", "Range", "bytes=500000-");
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */500000", beyond.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void ifRangeWithAStaleEtagGetsTheWholeContent() {
    byte[] body = random(13, 1000);
    String etag = dav.put("/ifrange.bin", body).headers().firstValue("ETag").orElseThrow();
    assertEquals(206, dav.get("/ifrange.bin", "Range", "bytes=0-9", "If-Range", etag).statusCode());
    HttpResponse<byte[]> stale = dav.get("/ifrange.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"");
    assertEquals(200, stale.statusCode());
    assertArrayEquals(body, stale.body());
  }

  @Test
  void finderChunkedPutWithExpectedEntityLengthStoresTheWholeBody() throws Exception {
    byte[] body = random(17, 300_000);
    int status =
        RawHttp.exchange(
            dav.port(),
            "PUT /finder.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "X-Expected-Entity-Length: "
                + body.length
                + "\r\nConnection: close\r\n",
            RawHttp.chunked(body, 32_768));
    assertEquals(201, status);
    assertArrayEquals(body, dav.get("/finder.bin").body());
  }

  @Test
  void aChunkedBodyShorterThanItsExpectedLengthCommitsNothing() throws Exception {
    dav.put("/short.bin", "old".getBytes(StandardCharsets.UTF_8));
    long before = dav.lastJid();
    int status =
        RawHttp.exchange(
            dav.port(),
            "PUT /short.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "X-Expected-Entity-Length: 5000\r\nConnection: close\r\n",
            RawHttp.chunked(random(1, 4000), 1000));
    assertEquals(400, status);
    assertEquals(before, dav.lastJid());
    assertEquals("old", TestDav.text(dav.get("/short.bin")));
  }

  @Test
  void putRefusesWhatItCannotStore() {
    assertEquals(409, dav.put("/no/such/parent.txt", new byte[] {1}).statusCode());
    dav.send("MKCOL", "/putdir", (byte[]) null);
    assertEquals(405, dav.put("/putdir", new byte[] {1}).statusCode());
    assertEquals(405, dav.put("/", new byte[] {1}).statusCode());
    assertEquals(400, dav.put("/partial.txt", new byte[] {1}, "Content-Range", "bytes 0-0/1").statusCode());
    assertEquals(404, dav.get("/partial.txt").statusCode());
  }

  @Test
  void everyPutIsOneJournalRowWithItsContent() {
    byte[] body = random(19, 50_000);
    dav.put("/journal.bin", body);
    var rows = dav.history("/journal.bin");
    assertEquals(ChangeKind.PUT, rows.get(0).kind());
    assertEquals(body.length, rows.get(0).size());
    assertEquals(
        dav.get("/journal.bin").headers().firstValue("ETag").orElseThrow(),
        ContentHash.etag(rows.get(0).contentHash()));
  }
}
