package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyTest {
  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  /** Feeds {@code s} one byte at a time (the worst split a network can make); returns where the body ended. */
  private static int byteByByte(ChunkedBody body, String s) {
    ByteBuf b = bytes(s);
    int i = 0;
    while (i < b.writerIndex() && !body.done()) {
      i = body.consume(b, i, i + 1);
    }
    return i;
  }

  @Test
  void findsTheEndOfABodyAndLeavesTheNextRequest() {
    String body = "5\r\nhello\r\n10;ext=\"a b\"\r\n0123456789abcdef\r\n0\r\n\r\n";
    ChunkedBody whole = new ChunkedBody();
    assertEquals(body.length(), whole.consume(bytes(body + "GET /"), 0, body.length() + 5));
    assertTrue(whole.done());
    ChunkedBody split = new ChunkedBody();
    assertEquals(body.length(), byteByByte(split, body + "GET /"));
  }

  @Test
  void extensionsAndTrailersAreSkipped() {
    String body = "5;x=1\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n";
    ChunkedBody b = new ChunkedBody();
    assertEquals(body.length(), b.consume(bytes(body), 0, body.length()));
    assertTrue(b.done());
  }

  @Test
  void anUnfinishedBodyIsNotDone() {
    ChunkedBody b = new ChunkedBody();
    String part = "5\r\nhel";
    assertEquals(part.length(), b.consume(bytes(part), 0, part.length()));
    assertFalse(b.done());
  }

  @Test
  void malformedFramingIsA400() {
    for (String bad : new String[] {"x\r\n", "5\r\nhelloX", "5\nhello", "\r\n", "1234567890abcdef0\r\n", "0\r\nbad\u0001\r\n"}) {
      ChunkedBody b = new ChunkedBody();
      RequestHead.Refusal r = assertThrows(RequestHead.Refusal.class, () -> b.consume(bytes(bad), 0, bad.length()), bad);
      assertEquals(400, r.status());
    }
  }
}
