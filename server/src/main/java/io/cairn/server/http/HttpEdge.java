package io.cairn.server.http;

import io.netty.handler.codec.DecoderResult;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Puts {@link RequestGate} in front of every connection of an HTTP server and answers the heads it
 * refuses. HTTP/2 in clear text is off: Cairn speaks HTTP/1.1, and an HTTP/2 preface is then a
 * malformed HTTP/1.1 request (505) instead of a connection held open.
 */
public final class HttpEdge {
  private HttpEdge() {}

  /** {@code options} with the limits Vert.x itself applies: sizes of the head, the idle timeout. */
  public static HttpServerOptions limit(HttpServerOptions options, HttpLimits limits) {
    return options
        .setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(limits.maxRequestLine())
        .setMaxHeaderSize(limits.maxHeadBytes())
        .setIdleTimeout((int) Math.max(1, limits.idleTimeout().toSeconds()))
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Installs the gate on each connection as it is accepted, and the answer to refused heads. */
  public static HttpServer guard(HttpServer server, HttpLimits limits, ConnectionLimits connections, EdgeMeters meters) {
    return server
        .connectionHandler(conn -> {
          // Vert.x calls this while it builds the connection's pipeline, before the first read.
          ConnectionBase base = (ConnectionBase) conn;
          base.channelHandlerContext().pipeline()
              .addBefore("httpDecoder", "cairn-request-gate", new RequestGate(limits, connections, meters));
        })
        .invalidRequestHandler(req -> answerInvalid(req, meters));
  }

  private static void answerInvalid(HttpServerRequest req, EdgeMeters meters) {
    DecoderResult result = req.decoderResult();
    if (result.cause() instanceof RequestHead.Refusal r) {
      meters.malformed(r.status());
      String text = r.getMessage() + "\n";
      req.response()
          .setStatusCode(r.status())
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("Server", "Cairn")
          .putHeader("Connection", "close")
          .end(text);
    } else {
      // Netty's own refusals (a line or head past Vert.x's sizes): Vert.x's answer (400, 414, 431).
      meters.malformed(400);
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(req);
    }
  }
}
