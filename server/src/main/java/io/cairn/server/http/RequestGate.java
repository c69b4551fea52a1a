package io.cairn.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first reader of every HTTP/1.x connection, in front of Netty's decoder: counts the
 * connection against {@link ConnectionLimits} from its accept, holds each request head back until
 * it is complete and {@link RequestHead} accepts it, follows the body's framing to find the next
 * head, and enforces {@link HttpLimits}' head timeout and minimum body rate.
 *
 * <p>A refused head reaches Vert.x as a request whose decoder result is the {@link
 * RequestHead.Refusal}, after the requests before it, so the edge answers it in order through its
 * invalid-request handler (one access line, the request metrics) and Vert.x closes the connection
 * after the answer; nothing sent after a refused head is read. A timeout or a malformed chunked
 * body closes the connection at once: a request in progress then fails and commits nothing.
 *
 * <p>Runs on the connection's event loop only; not shared between connections.
 */
public final class RequestGate extends ChannelInboundHandlerAdapter {
  /** Empty lines (CRLF) accepted before a request line (RFC 9112 §2.2), as bytes. */
  private static final int MAX_LEADING_BLANK_BYTES = 16;

  /** What the gate reports: each method is called on the event loop. */
  public interface Events {
    /** A connection was refused for passing a connection cap. */
    void connectionRefused();

    /** A connection was closed for a head not complete in time ({@code "head"}) or a slow body ({@code "body"}). */
    void timedOut(String phase);
  }

  private enum Phase { HEAD, BODY, REFUSED }

  private final HttpLimits limits;
  private final ConnectionLimits connections;
  private final Events events;
  private String address;
  private boolean counted;
  private Phase phase = Phase.HEAD;
  private byte[] head = new byte[1024];
  private int headLength;
  private int leadingBlankBytes;
  private boolean lineEnded;
  private long bodyRemaining;
  private ChunkedBody chunked;
  private ScheduledFuture<?> headTimer;
  private ScheduledFuture<?> rateTimer;
  private long bodyBytesInWindow;
  private boolean pausedInWindow;

  public RequestGate(HttpLimits limits, ConnectionLimits connections, Events events) {
    this.limits = limits;
    this.connections = connections;
    this.events = events;
  }

  /** The gate is added when the connection is accepted: count it, start the first head's clock. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    address = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress()
        : "local";
    if (!connections.tryOpen(address)) {
      phase = Phase.REFUSED;
      events.connectionRefused();
      ctx.writeAndFlush(Unpooled.copiedBuffer(
              "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  + "Content-Length: 24\r\nRetry-After: 5\r\nConnection: close\r\n\r\ntoo many connections now\n",
              StandardCharsets.US_ASCII))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    counted = true;
    startHeadTimer(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  private void release() {
    cancel(headTimer);
    cancel(rateTimer);
    if (counted) {
      counted = false;
      connections.closed(address);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      int i = in.readerIndex();
      int end = in.writerIndex();
      while (i < end && phase != Phase.REFUSED && ctx.channel().isActive()) {
        i = phase == Phase.HEAD ? readHead(ctx, in, i, end) : readBody(ctx, in, i, end);
      }
    } catch (RequestHead.Refusal r) {
      if (phase == Phase.BODY) {
        // The request is with the handler already: nothing can be answered in order, so close.
        ctx.close();
        phase = Phase.REFUSED;
      } else {
        refuse(ctx, r);
      }
    } finally {
      ReferenceCountUtil.release(in);
    }
    // A head still incomplete when the read ends gets its clock; one that arrives whole (most
    // do) never schedules a timer.
    if (phase == Phase.HEAD && headTimer == null && (headLength > 0 || leadingBlankBytes > 0)) {
      startHeadTimer(ctx);
    }
  }

  /** Takes head bytes from {@code in[i, end)}; forwards the head once it is complete and valid. */
  private int readHead(ChannelHandlerContext ctx, ByteBuf in, int i, int end) {
    while (headLength == 0 && i < end && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) {
      if (++leadingBlankBytes > MAX_LEADING_BLANK_BYTES) {
        throw new RequestHead.Refusal(400, "too many empty lines before the request line");
      }
      i++;
    }
    while (i < end) {
      // A line at a time, copied in bulk: a head that arrives whole is two or three copies.
      int lf = in.indexOf(i, end, (byte) '\n');
      int stop = lf < 0 ? end : lf + 1;
      makeRoom(stop - i);
      in.getBytes(i, head, headLength, stop - i);
      headLength += stop - i;
      i = stop;
      if (!lineEnded) {
        lineEnded = lf >= 0;
        if (headLength > limits.maxRequestLine() + 2) {
          throw new RequestHead.Refusal(414, "request line longer than " + limits.maxRequestLine() + " bytes");
        }
      }
      if (lf >= 0 && headEnd() >= 0) {
        headComplete(ctx);
        return i;
      }
    }
    return i;
  }

  /** Grows the head buffer for {@code n} more bytes, up to the limit: 414 or 431 past it. */
  private void makeRoom(int n) {
    while (headLength + n > head.length) {
      if (head.length >= limits.maxHeadBytes()) {
        throw new RequestHead.Refusal(lineEnded ? 431 : 414, "request head too large");
      }
      head = Arrays.copyOf(head, Math.min(head.length * 2, limits.maxHeadBytes()));
    }
  }

  private void headComplete(ChannelHandlerContext ctx) {
    RequestHead parsed = RequestHead.parse(head, headLength, limits.maxRequestLine());
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
    if (parsed.mustClose()) {
      // Netty drops the Content-Length and reads the chunks; this makes Vert.x close after the answer.
      byte[] close = "Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      ctx.fireChannelRead(Unpooled.wrappedBuffer(
          Unpooled.copiedBuffer(head, 0, headLength - 2), Unpooled.wrappedBuffer(close)));
    } else {
      ctx.fireChannelRead(ctx.alloc().buffer(headLength).writeBytes(head, 0, headLength));
    }
    headLength = 0;
    leadingBlankBytes = 0;
    lineEnded = false;
    if (head.length > 4096) {
      head = new byte[1024];
    }
    if (parsed.hasBody()) {
      phase = Phase.BODY;
      bodyRemaining = parsed.contentLength();
      chunked = parsed.chunked() ? new ChunkedBody() : null;
      // A client waiting for 100 Continue sends nothing until the handler asks: its clock starts
      // with the first byte of the body.
      if (!parsed.expectsContinue()) {
        startRateTimer(ctx);
      }
    }
  }

  /** Forwards the body bytes in {@code in[i, end)}; returns where the body ended, if it did. */
  private int readBody(ChannelHandlerContext ctx, ByteBuf in, int i, int end) {
    if (rateTimer == null) {
      startRateTimer(ctx);
    }
    int bodyEnd;
    if (chunked != null) {
      bodyEnd = chunked.consume(in, i, end);
    } else {
      bodyEnd = (int) Math.min(end, i + bodyRemaining);
      bodyRemaining -= bodyEnd - i;
    }
    bodyBytesInWindow += bodyEnd - i;
    if (!ctx.channel().config().isAutoRead()) {
      pausedInWindow = true;
    }
    ctx.fireChannelRead(in.retainedSlice(i, bodyEnd - i));
    if (chunked != null ? chunked.done() : bodyRemaining == 0) {
      phase = Phase.HEAD;
      chunked = null;
      cancel(rateTimer);
      rateTimer = null;
    }
    return bodyEnd;
  }

  /** Hands the refusal to Vert.x as an invalid request, after whatever came before it. */
  private void refuse(ChannelHandlerContext ctx, RequestHead.Refusal r) {
    phase = Phase.REFUSED;
    cancel(headTimer);
    cancel(rateTimer);
    DefaultHttpRequest request =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", new DefaultHttpHeaders());
    request.setDecoderResult(DecoderResult.failure(r));
    ctx.fireChannelRead(request);
    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** The end of the head (the index after its empty line's LF), or -1 while it is incomplete. */
  private int headEnd() {
    int n = headLength;
    return n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n'
        ? n : -1;
  }

  private void startHeadTimer(ChannelHandlerContext ctx) {
    headTimer = ctx.executor().schedule(() -> {
      if (phase == Phase.HEAD && ctx.channel().isActive()) {
        events.timedOut("head");
        ctx.close();
      }
    }, limits.headTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Checks at the end of every window that a body still in progress moved fast enough. */
  private void startRateTimer(ChannelHandlerContext ctx) {
    if (limits.bodyMinBytesPerSecond() <= 0) {
      return;
    }
    long window = limits.bodyRateWindow().toMillis();
    bodyBytesInWindow = 0;
    pausedInWindow = !ctx.channel().config().isAutoRead();
    rateTimer = ctx.executor().scheduleAtFixedRate(() -> {
      boolean paused = pausedInWindow || !ctx.channel().config().isAutoRead();
      if (phase == Phase.BODY && !paused
          && bodyBytesInWindow * 1000 < limits.bodyMinBytesPerSecond() * window) {
        events.timedOut("body");
        ctx.close();
      }
      bodyBytesInWindow = 0;
      pausedInWindow = !ctx.channel().config().isAutoRead();
    }, window, window, TimeUnit.MILLISECONDS);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
