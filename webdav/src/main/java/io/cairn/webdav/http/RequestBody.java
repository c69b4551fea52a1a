package io.cairn.webdav.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body as a blocking {@link InputStream} for the virtual thread, fed by the request's
 * data events on the event loop. Back-pressure: the request is paused while more than {@link
 * #HIGH_WATER} bytes wait to be read and resumed once fewer than {@link #LOW_WATER} do. A body
 * that may be large starts paused, so that a body nobody reads (a refused PUT) is not buffered; one
 * announced as at most {@link #SMALL} bytes (or absent) flows from the start, so that it is there
 * when the reader comes instead of being asked for through the event loop. Pause and resume are
 * decided on the event loop only, so they cannot cross each other.
 *
 * <p>{@code Expect: 100-continue} (RFC 9110 §10.1.1) is answered here, not by Vert.x (the server
 * must not handle it automatically): {@code 100 Continue} goes out when the reader first asks for
 * the body, so a request refused before its body is read (a PUT over quota or larger than the free
 * space) gets its final answer instead and the client never sends the body.
 *
 * <p>After the response the connection serves the next request only when its framing is known:
 * the body has arrived, or what is left of it is announced and small enough to read and drop
 * ({@link #DRAIN_LIMIT}), and the client is not waiting for a {@code 100 Continue} it never got
 * (it may send the body or not). Otherwise the response says {@code Connection: close} and the
 * connection closes by a {@link LingeringClose}, once the rest of the body has arrived or within
 * its bounds: never does what the client sends next pass for a request.
 */
final class RequestBody extends InputStream {
  static final int HIGH_WATER = 1 << 20;
  static final int LOW_WATER = 256 << 10;
  static final int SMALL = 64 << 10;
  /** The most a reader waits to have queued before it is woken; see {@link #read(byte[], int, int)}. */
  static final int READ_BATCH = LOW_WATER;
  /** The most body bytes read and dropped after the response to keep the connection open. */
  static final long DRAIN_LIMIT = 1 << 20;

  private final HttpServerRequest request;
  private final Context context;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private final boolean expectsContinue;
  /** The body's length by its headers; see {@link #announcedLength}. */
  private final long announced;
  private boolean continueSent;
  /** How many queued bytes wake the waiting reader; 1 when no reader waits. */
  private long wanted = 1;
  private long received;
  private int headOffset;
  private long queued;
  private long consumed;
  private boolean paused;
  private boolean resumePosted;
  private boolean ended;
  private boolean discarding;
  private IOException failure;

  /**
   * Must be called on the request's event loop before the request handler returns: pauses the
   * request unless its body is known to be small (at most {@link #SMALL} bytes by its headers).
   */
  RequestBody(HttpServerRequest request, Context context) {
    this.request = request;
    this.context = context;
    this.announced = announcedLength(request);
    String expect = request.getHeader("Expect");
    this.expectsContinue =
        expect != null && request.version() != HttpVersion.HTTP_1_0 && expect.trim().equalsIgnoreCase("100-continue");
    this.paused = announced < 0 || announced > SMALL;
    if (paused) {
      request.pause();
    }
    request.handler(this::onData);
    request.endHandler(v -> onEnd());
    request.exceptionHandler(t -> fail(new IOException("request body failed: " + t.getMessage(), t)));
  }

  /**
   * The body's length by its headers: the Content-Length; 0 with neither it nor Transfer-Encoding
   * (no body, RFC 9112 §6.3); -1 when chunked (unknown) or invalid.
   */
  private static long announcedLength(HttpServerRequest request) {
    if (request.getHeader("Transfer-Encoding") != null) {
      return -1;
    }
    String cl = request.getHeader("Content-Length");
    if (cl == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(cl.trim());
      return n >= 0 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void onData(Buffer data) {
    lock.lock();
    try {
      received += data.length();
      if (discarding) {
        return;
      }
      queue.add(data);
      queued += data.length();
      if (!paused && queued > HIGH_WATER) {
        paused = true;
        request.pause();
      }
      if (queued >= wanted) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void onEnd() {
    lock.lock();
    try {
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The connection closed or the body failed: a pending or later read throws. */
  void fail(IOException e) {
    lock.lock();
    try {
      if (!ended && failure == null) {
        failure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the whole body has arrived (not necessarily been read). */
  boolean isEnded() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  /** How many bytes the reader took. */
  long consumed() {
    lock.lock();
    try {
      return consumed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * After the response: drops what is left of the body and what still arrives; {@link
   * #resumeOnLoopToDrain} then lets the rest flow, so the connection can serve the next request.
   */
  void discard() {
    lock.lock();
    try {
      discarding = true;
      queue.clear();
      queued = 0;
    } finally {
      lock.unlock();
    }
  }

  /** On the event loop, after {@link #discard}: resumes the request unless it has ended. */
  void resumeOnLoopToDrain() {
    if (!request.isEnded()) {
      request.resume();
    }
  }

  /**
   * Whether the connection can serve another request after this one's response (see the class
   * notes); when not, the response must say {@code Connection: close} and {@link
   * #closeAfterLinger} must follow it.
   */
  boolean connectionReusable() {
    lock.lock();
    try {
      if (ended || received == announced) {
        return true;
      }
      if (expectsContinue && !continueSent) {
        return false;
      }
      return announced >= 0 && announced - received <= DRAIN_LIMIT;
    } finally {
      lock.unlock();
    }
  }

  /**
   * After the response of a request whose connection is not {@link #connectionReusable reusable}
   * has ended (any thread): closes the connection by a {@link LingeringClose}, at once when the
   * body has arrived or failed.
   */
  void closeAfterLinger() {
    context.runOnContext(
        v -> {
          boolean now;
          lock.lock();
          try {
            now = ended || failure != null;
          } finally {
            lock.unlock();
          }
          if (now) {
            request.connection().close();
          } else {
            LingeringClose.start(request);
          }
        });
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    lock.lock();
    try {
      if (expectsContinue && !continueSent && !ended && announced != 0) {
        continueSent = true;
        context.runOnContext(v -> sendContinue());
      }
      // A reader asking for much (the chunker asks for megabytes) is woken once READ_BATCH bytes
      // are there, or the body ended or failed, not for every piece: one wake-up per 64 KiB piece
      // was 16,384 per GiB. At most LOW_WATER: a paused request is resumed before the reader waits.
      long want = Math.min(len, READ_BATCH);
      while (queue.isEmpty() || queued < want && !ended && failure == null) {
        if (queue.isEmpty() && failure != null) {
          throw failure;
        }
        if (queue.isEmpty() && ended) {
          return -1;
        }
        maybeResume();
        wanted = want;
        try {
          changed.await();
        } finally {
          wanted = 1;
        }
      }
      // As much as is queued and fits, not one piece per call: a large body's reader (the
      // chunker asks for megabytes) takes each lock once for many pieces.
      int n = 0;
      while (n < len && !queue.isEmpty()) {
        Buffer head = queue.peek();
        int take = Math.min(len - n, head.length() - headOffset);
        head.getBytes(headOffset, headOffset + take, b, off + n);
        headOffset += take;
        n += take;
        if (headOffset == head.length()) {
          queue.poll();
          headOffset = 0;
        }
      }
      queued -= n;
      consumed += n;
      maybeResume();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading the request body");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int available() {
    lock.lock();
    try {
      return (int) Math.min(Integer.MAX_VALUE, queued);
    } finally {
      lock.unlock();
    }
  }

  /** On the event loop: the client may send the body now, unless an answer has gone out already. */
  private void sendContinue() {
    HttpServerResponse response = request.response();
    if (!response.headWritten() && !response.closed()) {
      response.writeContinue();
    }
  }

  /** Called with the lock held. */
  private void maybeResume() {
    if (paused && !resumePosted && queued < LOW_WATER && !ended) {
      resumePosted = true;
      context.runOnContext(v -> resumeOnLoop());
    }
  }

  private void resumeOnLoop() {
    lock.lock();
    try {
      resumePosted = false;
      if (!paused || queued >= LOW_WATER) {
        return;
      }
      paused = false;
    } finally {
      lock.unlock();
    }
    request.resume();
  }
}
