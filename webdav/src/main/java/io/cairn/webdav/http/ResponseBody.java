package io.cairn.webdav.http;

import io.cairn.webdav.BufferSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body as an {@link OutputStream} for the virtual thread. Small writes are gathered
 * into {@link #COALESCE}-byte buffers; buffers go to the event loop without waiting for earlier
 * ones to be flushed, with up to {@link #MAX_IN_FLIGHT} bytes on their way, and the writer blocks
 * only beyond that. Waiting for each write instead halves GET throughput (stack notes); 8 MiB in
 * flight rather than 4 keeps the event loop fed while the next chunk is read (two 1 MiB-average
 * chunks are fetched ahead).
 */
final class ResponseBody extends OutputStream implements BufferSink {
  static final int COALESCE = 64 << 10;
  static final int FIRST = 8 << 10;
  static final int MAX_IN_FLIGHT = 8 << 20;

  private final VertxMiltonResponse owner;
  private final HttpServerResponse response;
  private final Context context;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private byte[] pending;
  private int count;
  private long inFlight;
  private long written;
  private IOException failure;

  ResponseBody(VertxMiltonResponse owner, HttpServerResponse response, Context context) {
    this.owner = owner;
    this.response = response;
    this.context = context;
  }

  @Override
  public void write(int b) throws IOException {
    room(1);
    pending[count++] = (byte) b;
    flushIfFull();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (count == 0 && len >= COALESCE) {
        send(Buffer.buffer(java.util.Arrays.copyOfRange(b, off, off + len)));
        return;
      }
      int n = Math.min(len, room(len));
      System.arraycopy(b, off, pending, count, n);
      count += n;
      off += n;
      len -= n;
      flushIfFull();
    }
  }

  @Override
  public void write(Buffer buffer) throws IOException {
    int len = buffer.length();
    if (count + len <= COALESCE) {
      // A small piece (a small file's only chunk) joins what is gathered: one write at the end.
      room(len);
      buffer.getBytes(0, len, pending, count);
      count += len;
      flushIfFull();
      return;
    }
    flushPending();
    send(buffer);
  }

  /**
   * Makes room for up to {@code want} more bytes in the gathering buffer, which starts at {@link
   * #FIRST} bytes (a small response's body needs no 64 KiB array) and grows up to {@link
   * #COALESCE}; the room there is, at least 1 while fewer than COALESCE bytes are gathered.
   */
  private int room(int want) {
    if (pending == null) {
      pending = new byte[Math.min(COALESCE, Math.max(FIRST, want))];
    } else if (pending.length - count < want && pending.length < COALESCE) {
      pending = java.util.Arrays.copyOf(pending, Math.min(COALESCE, Math.max(2 * pending.length, count + want)));
    }
    return pending.length - count;
  }

  private void flushIfFull() throws IOException {
    if (count == COALESCE) {
      flushPending();
    }
  }

  /**
   * Does nothing: gathered bytes go out when {@link #COALESCE} bytes are together or with the
   * response's end ({@link #takeGathered}), so that a small response is one write, not several.
   */
  @Override
  public void flush() {}

  /** As {@link #flush}; the response itself ends in {@link VertxMiltonResponse#finish}. */
  @Override
  public void close() {}

  /**
   * Takes the bytes gathered but not yet sent, to go out with the response's end, and counts
   * them as written; null when there are none.
   *
   * @throws IOException when the connection is gone
   */
  Buffer takeGathered() throws IOException {
    lock.lock();
    try {
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
    if (pending == null || count == 0) {
      return null;
    }
    Buffer b = Buffer.buffer(count == pending.length ? pending : java.util.Arrays.copyOf(pending, count));
    pending = null;
    lock.lock();
    try {
      written += count;
    } finally {
      lock.unlock();
    }
    count = 0;
    return b;
  }

  /** Drops the bytes gathered but not yet sent (a response reset to answer an error). */
  void dropGathered() {
    pending = null;
    count = 0;
  }

  /** Bytes handed to the event loop so far. */
  long written() {
    lock.lock();
    try {
      return written;
    } finally {
      lock.unlock();
    }
  }

  /** The connection is gone: writers fail from now on. */
  void fail(IOException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
      }
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void flushPending() throws IOException {
    if (pending != null && count > 0) {
      Buffer b = Buffer.buffer(count == pending.length ? pending : java.util.Arrays.copyOf(pending, count));
      pending = null;
      count = 0;
      send(b);
    }
  }

  private void send(Buffer data) throws IOException {
    int size = data.length();
    if (size == 0) {
      return;
    }
    owner.commit();
    lock.lock();
    try {
      while (failure == null && inFlight > 0 && inFlight + size > MAX_IN_FLIGHT) {
        drained.await();
      }
      if (failure != null) {
        throw failure;
      }
      inFlight += size;
      written += size;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the response");
    } finally {
      lock.unlock();
    }
    context.runOnContext(
        v ->
            response
                .write(data)
                .onComplete(
                    ar -> {
                      lock.lock();
                      try {
                        inFlight -= size;
                        if (ar.failed() && failure == null) {
                          failure = new IOException("response write failed", ar.cause());
                        }
                        drained.signalAll();
                      } finally {
                        lock.unlock();
                      }
                    }));
  }
}
