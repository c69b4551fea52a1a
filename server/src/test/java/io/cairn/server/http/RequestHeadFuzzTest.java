package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Set;

/**
 * Fuzz targets for the request gate's parsers. Whatever the bytes, {@link RequestHead#parse}
 * either refuses them with one of its statuses or accepts a head that Netty's decoder (the one
 * behind the gate) reads the same way: same method, same target, same body framing. A head the two
 * read differently is the opening a request smuggler needs.
 *
 * <p>In a plain test run each target replays its corpus in {@code
 * src/test/resources/io/cairn/server/http/RequestHeadFuzzTestInputs/}. {@code bin/fuzz} (or
 * {@code JAZZER_FUZZ=1} with {@code -Dtest=RequestHeadFuzzTest}) fuzzes for the {@code
 * maxDuration} below and adds what it finds to the corpus.
 */
class RequestHeadFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(400, 414, 501, 505);

  @FuzzTest(maxDuration = "60s")
  void headAgreesWithNetty(byte[] data) {
    RequestHead head;
    try {
      head = RequestHead.parse(data, data.length, 8192);
    } catch (RequestHead.Refusal r) {
      assertTrue(STATUSES.contains(r.status()), "unexpected status " + r.status());
      return;
    }
    EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestDecoder(8192, 65536, 8192));
    netty.writeInbound(Unpooled.wrappedBuffer(data));
    Object first = netty.readInbound();
    try {
      assertTrue(first instanceof HttpRequest, "Netty found no request in an accepted head");
      HttpRequest request = (HttpRequest) first;
      assertTrue(request.decoderResult().isSuccess(), () -> "Netty refused an accepted head: " + request.decoderResult());
      assertEquals(head.method(), request.method().name());
      assertEquals(head.target(), request.uri());
      assertEquals(head.chunked(), HttpUtil.isTransferEncodingChunked(request));
      if (!head.chunked()) {
        assertEquals(head.contentLength(), HttpUtil.getContentLength(request, -1L));
      }
    } finally {
      ReferenceCountUtil.release(first);
      for (Object o; (o = netty.readInbound()) != null; ) {
        ReferenceCountUtil.release(o);
      }
      netty.finishAndReleaseAll();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void chunkedBodyEndsOrRefuses(byte[] data) {
    ChunkedBody body = new ChunkedBody();
    var buf = Unpooled.wrappedBuffer(data);
    int i = 0;
    try {
      // Fed in two pieces: where the network splits must not change where the body ends.
      int split = data.length / 2;
      i = body.consume(buf, 0, split);
      if (!body.done()) {
        i = body.consume(buf, i, data.length);
      }
    } catch (RequestHead.Refusal r) {
      assertEquals(400, r.status());
      return;
    }
    assertTrue(i >= 0 && i <= data.length);
    if (body.done()) {
      ChunkedBody whole = new ChunkedBody();
      assertEquals(i, whole.consume(buf, 0, data.length), "a split changed where the body ends");
    }
  }
}
