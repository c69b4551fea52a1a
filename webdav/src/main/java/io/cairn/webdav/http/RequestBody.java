package io.cairn.webdav.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
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
 */
final class RequestBody extends InputStream {
  static final int HIGH_WATER = 1 << 20;
  static final int LOW_WATER = 256 << 10;
  static final int SMALL = 64 << 10;

  private final HttpServerRequest request;
  private final Context context;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private int headOffset;
  private long queued;
  private long consumed;
  private boolean paused;
  private boolean resumePosted;
  private boolean ended;
  private boolean discarding;
  private IOException failure;
  private final boolean expectsContinue;
  private boolean continueSent;

  /**
   * Must be called on the request's event loop before the request handler returns: pauses the
   * request unless its body is known to be small ({@link #isSmall}).
   */
  RequestBody(HttpServerRequest request, Context context) {
    this.request = request;
    this.context = context;
    this.paused = !isSmall(request);
    this.expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    if (paused) {
      request.pause();
    }
    request.handler(this::onData);
    request.endHandler(v -> onEnd());
    request.exceptionHandler(t -> fail(new IOException("request body failed: " + t.getMessage(), t)));
  }

  /**
   * Whether the request's body is at most {@link #SMALL} bytes by its headers: a Content-Length that
   * small, or neither Content-Length nor Transfer-Encoding (no body, RFC 9112 §6.3).
   */
  static boolean isSmall(HttpServerRequest request) {
    String te = request.getHeader("Transfer-Encoding");
    String cl = request.getHeader("Content-Length");
    if (te != null) {
      return false;
    }
    if (cl == null) {
      return true;
    }
    try {
      long n = Long.parseLong(cl.trim());
      return n >= 0 && n <= SMALL;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void onData(Buffer data) {
    lock.lock();
    try {
      if (discarding) {
        return;
      }
      queue.add(data);
      queued += data.length();
      if (!paused && queued > HIGH_WATER) {
        paused = true;
        request.pause();
      }
      changed.signalAll();
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
      while (queue.isEmpty()) {
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return -1;
        }
        askForTheBody();
        maybeResume();
        changed.await();
      }
      Buffer head = queue.peek();
      int n = Math.min(len, head.length() - headOffset);
      head.getBytes(headOffset, headOffset + n, b, off);
      headOffset += n;
      if (headOffset == head.length()) {
        queue.poll();
        headOffset = 0;
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

  /**
   * Called with the lock held: the first read of a body the client holds back for {@code Expect:
   * 100-continue} sends the 100, so a request refused before its body is read (401, 403, 507)
   * never invites the body (RFC 9110 §10.1.1).
   */
  private void askForTheBody() {
    if (expectsContinue && !continueSent) {
      continueSent = true;
      context.runOnContext(v -> request.response().writeContinue());
    }
  }

  /**
   * Whether the client still holds the body back waiting for a 100 that was never sent: the
   * connection must close after the answer, as the body will never come.
   */
  boolean neverInvited() {
    lock.lock();
    try {
      return expectsContinue && !continueSent && !ended;
    } finally {
      lock.unlock();
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
