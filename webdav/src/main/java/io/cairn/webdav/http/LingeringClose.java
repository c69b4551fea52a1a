package io.cairn.webdav.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connection of a request answered before its body was read (a 401, 405, 413...), the
 * way nginx's lingering close does ({@code lingering_close}, {@code lingering_time}, {@code
 * lingering_timeout}): it first reads and drops what the client still sends, then closes.
 *
 * <p>Why: closing a TCP socket whose receive buffer holds unread bytes sends a reset (RFC 1122
 * §4.2.2.13), and a client still writing its body (one that did not send {@code Expect:
 * 100-continue}) may then lose the answer that was already on its way: the JDK's HTTP client
 * reports "header parser received no bytes", curl fails with "Failed sending data". Reading on
 * lets the client finish writing and read the answer.
 *
 * <p>Bounded: at most {@link #MAX_BYTES} bytes, {@link #MAX_MILLIS} in all and {@link
 * #QUIET_MILLIS} without a byte; whichever comes first closes the connection. The bytes are dropped
 * where they arrive, at the front of the connection's pipeline, before the HTTP decoder: they are
 * never decoded, copied to the heap or buffered, so draining a refused upload costs no memory.
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {
  /** The most body bytes read and dropped before the connection is closed anyway. */
  public static final long MAX_BYTES = 256L << 20;
  /** The longest a closing connection reads, from the end of the answer (nginx: lingering_time). */
  public static final long MAX_MILLIS = 30_000;
  /** The longest it waits for the client's next bytes (nginx: lingering_timeout). */
  public static final long QUIET_MILLIS = 5_000;

  private long dropped;
  private long lastBytesNanos = System.nanoTime();
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> quiet;

  private LingeringClose() {}

  /**
   * Once {@code request}'s response has ended, on the request's event loop: closes its connection
   * at once when the body has arrived (or the connection is not one this can drain), otherwise
   * after reading and dropping the rest of the body within the bounds above.
   */
  public static void start(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded() || !(connection instanceof ConnectionBase base)) {
      connection.close();
      return;
    }
    ChannelHandlerContext ctx = base.channelHandlerContext();
    if (!ctx.channel().isActive() || ctx.pipeline().get(LingeringClose.class) != null) {
      connection.close();
      return;
    }
    ctx.pipeline().addFirst("cairn-lingering-close", new LingeringClose());
    // A paused request stopped reading the socket; nothing reaches the request any more.
    ctx.channel().config().setAutoRead(true);
    ctx.channel().read();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> ctx.close(), MAX_MILLIS, TimeUnit.MILLISECONDS);
    quiet = ctx.executor().schedule(() -> checkQuiet(ctx), QUIET_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      dropped += bytes.readableBytes();
    }
    ReferenceCountUtil.release(msg);
    lastBytesNanos = System.nanoTime();
    if (dropped > MAX_BYTES) {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.cancel(false);
    quiet.cancel(false);
    ctx.fireChannelInactive();
  }

  /** Closes after {@link #QUIET_MILLIS} without a byte; one timer, re-armed, not one per read. */
  private void checkQuiet(ChannelHandlerContext ctx) {
    long quietFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBytesNanos);
    if (quietFor >= QUIET_MILLIS) {
      ctx.close();
    } else if (ctx.channel().isActive()) {
      quiet = ctx.executor().schedule(() -> checkQuiet(ctx), QUIET_MILLIS - quietFor, TimeUnit.MILLISECONDS);
    }
  }
}
