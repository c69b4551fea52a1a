package io.cairn.webdav.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

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
 * #QUIET_MILLIS} without a byte; whichever comes first closes the connection. What is read is
 * counted and dropped, never buffered.
 */
public final class LingeringClose {
  /** The most body bytes read and dropped before the connection is closed anyway. */
  public static final long MAX_BYTES = 256L << 20;
  /** The longest a closing connection reads, from the end of the answer (nginx: lingering_time). */
  public static final long MAX_MILLIS = 30_000;
  /** The longest it waits for the client's next bytes (nginx: lingering_timeout). */
  public static final long QUIET_MILLIS = 5_000;

  private final HttpServerRequest request;
  private final HttpConnection connection;
  private final Vertx vertx;
  private long dropped;
  private long lastBytesNanos = System.nanoTime();
  private long quietTimer = -1;
  private long deadlineTimer = -1;
  private boolean closed;

  private LingeringClose(HttpServerRequest request, Vertx vertx) {
    this.request = request;
    this.connection = request.connection();
    this.vertx = vertx;
  }

  /**
   * Once {@code request}'s response has ended, on the request's event loop: closes its connection
   * at once when the body has arrived, otherwise after reading and dropping the rest of it within
   * the bounds above. Takes over the request's data, end and exception handlers, and resumes it.
   */
  public static void start(HttpServerRequest request) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("a lingering close starts on the request's event loop");
    }
    new LingeringClose(request, context.owner()).linger();
  }

  private void linger() {
    if (request.isEnded()) {
      close();
      return;
    }
    request.exceptionHandler(t -> close());
    request.endHandler(v -> close());
    request.handler(data -> {
      dropped += data.length();
      lastBytesNanos = System.nanoTime();
      if (dropped > MAX_BYTES) {
        close();
      }
    });
    deadlineTimer = vertx.setTimer(MAX_MILLIS, id -> close());
    quietTimer = vertx.setTimer(QUIET_MILLIS, id -> checkQuiet());
    request.resume();
  }

  /** Closes after {@link #QUIET_MILLIS} without a byte; one timer, re-armed, not one per chunk. */
  private void checkQuiet() {
    long quietFor = (System.nanoTime() - lastBytesNanos) / 1_000_000;
    if (quietFor >= QUIET_MILLIS) {
      close();
    } else if (!closed) {
      quietTimer = vertx.setTimer(QUIET_MILLIS - quietFor, id -> checkQuiet());
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (quietTimer >= 0) {
      vertx.cancelTimer(quietTimer);
    }
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    connection.close();
  }
}
