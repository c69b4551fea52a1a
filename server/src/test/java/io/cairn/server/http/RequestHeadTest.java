package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
  private static RequestHead parse(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return RequestHead.parse(b, b.length, 8192);
  }

  private static int refused(String head) {
    return assertThrows(RequestHead.Refusal.class, () -> parse(head), head).status();
  }

  @Test
  void aPlainRequestHasNoBody() {
    RequestHead h = parse("GET /a%20b HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n");
    assertEquals("GET", h.method());
    assertEquals("/a%20b", h.target());
    assertFalse(h.hasBody());
  }

  @Test
  void framingComesFromContentLengthOrChunked() {
    assertEquals(12, parse("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n").contentLength());
    assertEquals(12, parse("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 012\r\n\r\n").contentLength());
    assertTrue(parse("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n").chunked());
    assertTrue(parse("PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").expectsContinue());
    assertFalse(parse("GET / HTTP/1.0\r\n\r\n").hasBody());
  }

  @Test
  void unknownOrMisplacedTransferCodingsAreRefused() {
    assertEquals(501, refused("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"));
    assertEquals(501, refused("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"));
    assertEquals(501, refused("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"));
    assertEquals(501, refused("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
  }

  @Test
  void chunkedWinsOverContentLengthAndTheConnectionCloses() {
    RequestHead h = parse("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n");
    assertTrue(h.chunked());
    assertEquals(-1, h.contentLength());
    assertTrue(h.mustClose());
    assertFalse(parse("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").mustClose());
  }

  @Test
  void contentLengthMustBeOneNumber() {
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 2\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"));
    assertEquals(400, refused("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n"));
    assertEquals(Long.MAX_VALUE,
        parse("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775807\r\n\r\n").contentLength());
  }

  @Test
  void hostIsRequiredOnceInHttp11() {
    assertEquals(400, refused("GET / HTTP/1.1\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"));
  }

  @Test
  void theRequestLineIsExact() {
    assertEquals(400, refused("GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(400, refused("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"));
    assertEquals(400, refused("GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(400, refused("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(400, refused("GET / http/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(505, refused("GET / HTTP/1.2\r\nHost: x\r\n\r\n"));
    assertEquals(505, refused("PRI * HTTP/2.0\r\n\r\n"));
    byte[] longLine = ("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(414, assertThrows(RequestHead.Refusal.class, () -> RequestHead.parse(longLine, longLine.length, 8192)).status());
  }

  @Test
  void fieldLinesAreStrict() {
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost : x\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: x\r\nX: a\u0001b\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n"));
    assertEquals(400, refused("GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n"));
  }
}
