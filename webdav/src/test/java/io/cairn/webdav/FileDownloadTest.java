package io.cairn.webdav;

import io.cairn.files.Await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET from a chunk store that hands out its files (sent with sendfile) and from one that only
 * reads bytes: the same content, ranges and failures either way, and no file left open.
 */
class FileDownloadTest {
  @TempDir static Path dir;
  static TrackingChunkStore files;
  static TestDav viaFiles;
  static TestDav viaBuffers;

  @BeforeAll
  static void start() {
    viaFiles =
        TestDav.start(
            dir.resolve("files"),
            s -> files = new TrackingChunkStore(s),
            b -> {});
    viaBuffers = TestDav.start(dir.resolve("buffers"), TrackingChunkStore::buffersOnly, b -> {});
  }

  @AfterAll
  static void stop() {
    viaFiles.close();
    viaBuffers.close();
  }

  @Test
  void aFileOfManyChunksIsSentFromTheChunkFilesWhole() throws Exception {
    byte[] body = TransferTest.random(21, 3 << 20);
    assertEquals(201, viaFiles.put("/many.bin", body).statusCode());
    assertTrue(blocks(viaFiles, "/many.bin").size() > 50, "small chunks: many of them");
    int getsBefore = files.gets.get();
    int openedBefore = files.opened.size();
    HttpResponse<byte[]> get = viaFiles.get("/many.bin");
    assertEquals(200, get.statusCode());
    assertEquals(TestDav.sha256(body), TestDav.sha256(get.body()));
    assertEquals(getsBefore, files.gets.get(), "no chunk was read into memory");
    assertTrue(files.opened.size() - openedBefore >= blocks(viaFiles, "/many.bin").size());
    awaitIdle(viaFiles);
    assertEquals(0, files.openFiles(), "every chunk file is closed once sent");
  }

  @Test
  void rangesAcrossChunkBoundariesAreTheSameBothWays() {
    byte[] body = TransferTest.random(22, 700_000);
    for (TestDav dav : List.of(viaFiles, viaBuffers)) {
      assertEquals(201, dav.put("/range.bin", body).statusCode());
      Random r = new Random(8);
      for (int i = 0; i < 20; i++) {
        int from = r.nextInt(body.length);
        int to = Math.min(body.length - 1, from + r.nextInt(300_000));
        HttpResponse<byte[]> get = dav.get("/range.bin", "Range", "bytes=" + from + "-" + to);
        assertEquals(206, get.statusCode());
        assertArrayEquals(Arrays.copyOfRange(body, from, to + 1), get.body(), from + "-" + to);
      }
      HttpResponse<byte[]> one = dav.get("/range.bin", "Range", "bytes=123456-123456");
      assertArrayEquals(new byte[] {body[123456]}, one.body());
      HttpResponse<byte[]> head = dav.send("HEAD", "/range.bin", (byte[]) null);
      assertEquals(0, head.body().length);
      assertEquals("700000", head.headers().firstValue("Content-Length").orElseThrow());
    }
    awaitIdle(viaFiles);
    assertEquals(0, files.openFiles());
  }

  @Test
  void aMissingFirstChunkIs500BeforeAnyByte() throws IOException {
    for (TestDav dav : List.of(viaFiles, viaBuffers)) {
      byte[] body = TransferTest.random(23, 400_000);
      assertEquals(201, dav.put("/first.bin", body).statusCode());
      Await.result(dav.chunks.delete(blocks(dav, "/first.bin").get(0).hash()));
      HttpResponse<byte[]> get = dav.get("/first.bin");
      assertEquals(500, get.statusCode());
      assertTrue(!TestDav.text(get).contains("Exception"), TestDav.text(get));
    }
    awaitIdle(viaFiles);
    assertEquals(0, files.openFiles());
  }

  @Test
  void aMissingChunkMidwayBreaksTheConnectionInsteadOfEndingShort() throws IOException {
    for (TestDav dav : List.of(viaFiles, viaBuffers)) {
      byte[] body = TransferTest.random(24, 2 << 20);
      assertEquals(201, dav.put("/mid.bin", body).statusCode());
      List<BlockRef> blocks = blocks(dav, "/mid.bin");
      Await.result(dav.chunks.delete(blocks.get(blocks.size() / 2).hash()));
      Raw got = rawGet(dav, "/mid.bin", Integer.MAX_VALUE);
      assertEquals(200, got.status, "committed before the missing chunk's turn");
      assertEquals(body.length, got.contentLength);
      assertTrue(got.body.length < body.length, "cut off, not complete: " + got.body.length);
      assertArrayEquals(Arrays.copyOf(body, got.body.length), got.body, "what came is right");
      assertEquals(404, dav.get("/nothing-here").statusCode(), "the server still answers");
    }
    awaitIdle(viaFiles);
    assertEquals(0, files.openFiles());
  }

  @Test
  void aChunkFileShorterThanItsBlocklistSaysIsNeverSentAsIs() throws IOException {
    byte[] body = TransferTest.random(25, 2 << 20);
    assertEquals(201, viaFiles.put("/short.bin", body).statusCode());
    List<BlockRef> blocks = blocks(viaFiles, "/short.bin");
    truncate(viaFiles, blocks.get(blocks.size() / 2).hash(), 100);
    Raw got = rawGet(viaFiles, "/short.bin", Integer.MAX_VALUE);
    assertEquals(200, got.status);
    assertTrue(got.body.length < body.length, "cut off, not complete: " + got.body.length);
    truncate(viaFiles, blocks.get(0).hash(), 100);
    assertEquals(500, rawGet(viaFiles, "/short.bin", Integer.MAX_VALUE).status);
    awaitIdle(viaFiles);
    assertEquals(0, files.openFiles());
  }

  @Test
  void aClientHangingUpMidDownloadLeavesNoFileOpen() throws IOException {
    byte[] body = TransferTest.random(26, 8 << 20);
    assertEquals(201, viaFiles.put("/big.bin", body).statusCode());
    for (int i = 0; i < 3; i++) {
      Raw got = rawGet(viaFiles, "/big.bin", 100_000);
      assertEquals(200, got.status);
      assertTrue(got.body.length < body.length);
    }
    awaitIdle(viaFiles);
    assertEquals(0, openFilesOnceClosed(), "files of an abandoned download are closed");
    HttpResponse<byte[]> whole = viaFiles.get("/big.bin");
    assertEquals(TestDav.sha256(body), TestDav.sha256(whole.body()));
  }

  private static List<BlockRef> blocks(TestDav dav, String path) {
    Entry e = Await.result(dav.journal.entry(TestDav.NS, path));
    return e.blocklist().blocks();
  }

  private static void truncate(TestDav dav, ChunkHash hash, long size) throws IOException {
    String hex = hash.hex();
    Path file =
        dir.resolve(dav == viaFiles ? "files" : "buffers")
            .resolve("chunks")
            .resolve(hex.substring(0, 2))
            .resolve(hex.substring(2, 4))
            .resolve(hex);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  /** Waits, bounded, until the server has finished every request (and so every download). */
  private static void awaitIdle(TestDav dav) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (dav.dav.activeRequests() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertEquals(0, dav.dav.activeRequests(), "requests still running");
  }

  /**
   * Open chunk files, waiting (up to 10 s) for them to close: an abandoned download's request can
   * end (its last file handed to the event loop) before the server notices the closed connection
   * and lets go of the files still queued on it.
   */
  private static long openFilesOnceClosed() {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (files.openFiles() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return files.openFiles();
  }

  private record Raw(int status, long contentLength, byte[] body) {}

  /**
   * GET over a plain socket on a kept-alive connection: the status, Content-Length and the body
   * bytes until the server closes or all of them came, or until {@code keep} bytes came and the
   * client hangs up (with a reset). A server that sends less and keeps the connection fails it.
   */
  private static Raw rawGet(TestDav dav, String path, int keep) throws IOException {
    try (Socket s = new Socket("127.0.0.1", dav.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      int status = Integer.parseInt(head.substring(9, 12));
      long length = Long.MAX_VALUE;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buf = new byte[64 << 10];
      try {
        int n;
        while (body.size() < Math.min(keep, length) && (n = in.read(buf)) >= 0) {
          body.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server neither finished nor closed the connection", e);
      } catch (IOException e) {
        // A reset from the server ends the body as a close does.
      }
      if (body.size() >= keep) {
        s.setSoLinger(true, 0);
      }
      return new Raw(status, length, body.toByteArray());
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      byte[] b = head.toByteArray();
      int n = b.length;
      if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
        break;
      }
      if (n > 16 << 10) {
        throw new IOException("no end of head");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
