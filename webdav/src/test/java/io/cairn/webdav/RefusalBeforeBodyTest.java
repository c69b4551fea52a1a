package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.files.QuotaPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PUT that cannot fit is refused before its body, over a raw socket as a client sees it: 507
 * without a {@code 100 Continue} when the client asked for one, 507 before a body byte is sent when
 * it did not; then the connection closes, so nothing the client sends after passes for a request.
 * The room is a quota when there is one, the store's free space always, unless it is unknown.
 */
class RefusalBeforeBodyTest {
  static final long ONE_TIB = 1L << 40;
  static final long FREE = 10L << 30;

  /** A response head read off a socket: the status and the header lines, lower-cased names. */
  record Head(int status, String text) {
    boolean has(String header, String value) {
      return text.toLowerCase(Locale.ROOT).contains("\r\n" + header.toLowerCase(Locale.ROOT) + ": " + value.toLowerCase(Locale.ROOT));
    }
  }

  static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("HTTP/1.1 "), "a status line: " + text);
    return new Head(Integer.parseInt(text.substring(9, 12)), text);
  }

  static void skipBody(InputStream in, Head head) throws IOException {
    String lower = head.text().toLowerCase(Locale.ROOT);
    int at = lower.indexOf("\r\ncontent-length: ");
    int end = lower.indexOf("\r\n", at + 2);
    long n = Long.parseLong(lower.substring(at + "\r\ncontent-length: ".length(), end).trim());
    assertEquals(n, in.readNBytes((int) n).length);
  }

  static Socket connect(TestDav dav) throws IOException {
    Socket s = new Socket("127.0.0.1", dav.port());
    s.setSoTimeout(10_000);
    return s;
  }

  static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static String put(String path, long length, boolean expect) {
    return "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length + "\r\n"
        + (expect ? "Expect: 100-continue\r\n" : "") + "\r\n";
  }

  /**
   * After a refusal, what the client sends next is not taken for a request: no answer comes, and
   * the server closes the connection.
   */
  static void assertClosedWithoutAnotherAnswer(Socket s) throws IOException {
    try {
      send(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(-1, s.getInputStream().read(), "no answer to what followed the refused PUT");
    } catch (SocketException e) {
      // closed before the write or the read got there: as good
    }
  }

  static void assertRefusedBeforeTheBody(TestDav dav, String path, long length, boolean expect) throws IOException {
    long before = dav.lastJid();
    try (Socket s = connect(dav)) {
      send(s, put(path, length, expect));
      Head head = readHead(s.getInputStream());
      assertEquals(507, head.status(), "the first answer is final, no 100 Continue: " + head.text());
      assertTrue(head.has("Connection", "close"), head.text());
      skipBody(s.getInputStream(), head);
      assertClosedWithoutAnotherAnswer(s);
    }
    assertEquals(before, dav.lastJid(), "nothing committed");
    assertEquals(404, dav.get(path).statusCode());
  }

  @Test
  void aPutLargerThanTheFreeSpaceIs507BeforeItsBodyWithOrWithoutExpect(@TempDir Path dir) throws Exception {
    try (TestDav dav = TestDav.start(dir, b -> b.quota(new QuotaPolicy(-1, () -> FREE)))) {
      assertRefusedBeforeTheBody(dav, "/huge.bin", ONE_TIB, true);
      assertRefusedBeforeTheBody(dav, "/huge.bin", ONE_TIB, false);
      assertRefusedBeforeTheBody(dav, "/just-over.bin", FREE + 1, true);
    }
  }

  @Test
  void aPutOverTheQuotaIs507BeforeItsBodyWithOrWithoutExpect(@TempDir Path dir) throws Exception {
    try (TestDav dav = TestDav.start(dir, b -> b.quota(new QuotaPolicy(1 << 20, () -> -1)))) {
      assertRefusedBeforeTheBody(dav, "/big.bin", 2 << 20, true);
      assertRefusedBeforeTheBody(dav, "/big.bin", 2 << 20, false);
    }
  }

  @Test
  void aPutThatFitsIsContinuedAndTheConnectionServesTheNextRequest(@TempDir Path dir) throws Exception {
    try (TestDav dav = TestDav.start(dir, b -> b.quota(new QuotaPolicy(-1, () -> FREE)));
        Socket s = connect(dav)) {
      byte[] content = "fits".getBytes(StandardCharsets.UTF_8);
      send(s, put("/fits.txt", content.length, true));
      Head interim = readHead(s.getInputStream());
      assertEquals(100, interim.status(), interim.text());
      s.getOutputStream().write(content);
      s.getOutputStream().flush();
      Head created = readHead(s.getInputStream());
      assertEquals(201, created.status(), created.text());
      skipBody(s.getInputStream(), created);
      send(s, "GET /fits.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      Head get = readHead(s.getInputStream());
      assertEquals(200, get.status(), get.text());
      assertEquals("fits", new String(s.getInputStream().readNBytes(content.length), StandardCharsets.UTF_8));
    }
  }

  @Test
  void unknownFreeSpaceRefusesNothing(@TempDir Path dir) throws Exception {
    try (TestDav dav = TestDav.start(Files.createDirectories(dir.resolve("data")), b -> b.quota(new QuotaPolicy(-1, () -> -1)));
        Socket s = connect(dav)) {
      send(s, put("/huge.bin", ONE_TIB, true));
      Head head = readHead(s.getInputStream());
      assertEquals(100, head.status(), "the body is asked for: " + head.text());
      s.getOutputStream().write(new byte[64 << 10]);
      s.getOutputStream().flush();
    }
  }
}
