package io.cairn.server.http;

import io.cairn.webdav.http.LingeringClose;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body of at most a route's limit, counting the bytes received whatever the
 * framing (a declared Content-Length or chunks), so an unauthenticated or oversized body never
 * grows memory past the limit.
 */
public final class BoundedBody {
  /** The body was larger than the route's limit: answer 413 and close the connection. */
  public static final class TooLarge extends RuntimeException {
    public TooLarge(long limit) {
      super("request body larger than " + limit + " bytes", null, false, false);
    }
  }

  private BoundedBody() {}

  /** Whether the request carries a body: a Content-Length above zero, or chunks. */
  public static boolean present(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
  }

  /** The body's length as its Content-Length says, or -1 when none or no number is given. */
  public static long declaredLength(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether the head alone says the body is larger than {@code limit}. */
  public static boolean declaredOver(HttpServerRequest req, long limit) {
    String length = req.getHeader("Content-Length");
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return true; // the request gate refuses malformed lengths before this; be safe anyway
    }
  }

  /**
   * The whole body of a paused {@code req}, or a failed future with {@link TooLarge} as soon as
   * more than {@code limit} bytes have arrived (the request is paused again then). Call on the
   * request's context or any thread; the handlers are set on the request's context.
   */
  public static Future<Buffer> read(HttpServerRequest req, int limit) {
    Promise<Buffer> result = Promise.promise();
    Buffer body = Buffer.buffer();
    req.exceptionHandler(result::tryFail);
    req.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        req.pause();
        result.tryFail(new TooLarge(limit));
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> result.tryComplete(body));
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      req.response().writeContinue();
    }
    req.resume();
    return result.future();
  }

  /**
   * Ends {@code req}'s response with {@code text}, its body left unread, and closes the connection
   * once it is sent by a {@link LingeringClose}: what the client still sends of the body is read
   * and dropped (bounded) first, so that a client writing a large body without {@code Expect:
   * 100-continue} reads this answer instead of a reset. Any thread.
   */
  public static void answerAndClose(HttpServerRequest req, int status, String contentType, String text) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", contentType)
        .putHeader("Connection", "close")
        .end(text)
        .onComplete(ar -> LingeringClose.start(req));
  }
}
