package io.cairn.webdav.http;

import io.cairn.files.BufferSink;
import io.cairn.files.FileSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
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
 *
 * <p>On a plain HTTP/1.x connection it also sends ranges of files with sendfile ({@link FileSink}):
 * Vert.x's {@code HttpServerResponse.sendFile} ends the response after one file, and the
 * connection's {@code sendFile} cuts a file into 1 MiB regions written one after the other, which
 * lets later writes overtake the rest of a larger chunk. So each range goes as one Netty {@code
 * FileRegion} into the connection's outbound queue, the queue the response's own writes take, in
 * order; the HTTP encoder passes a region through as body bytes, and the response is ended as
 * usual by {@link VertxMiltonResponse#finish}. A range in flight holds an open file, not memory;
 * the same byte bound applies to it.
 */
final class ResponseBody extends OutputStream implements BufferSink, FileSink {
  static final int COALESCE = 64 << 10;
  static final int FIRST = 8 << 10;
  static final int MAX_IN_FLIGHT = 8 << 20;

  private final VertxMiltonResponse owner;
  private final HttpServerResponse response;
  private final Context context;
  /** The connection to send files on; null when files go as buffers (TLS, HTTP/2, tests). */
  private final Http1xServerConnection files;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private byte[] pending;
  private int count;
  /**
   * A small body's first piece, kept as given while nothing else is written: a small file's only
   * chunk then goes out with the end as it came from the chunk store, not copied into {@link
   * #pending} and out again. Written into pending when another write follows.
   */
  private Buffer single;
  private long inFlight;
  private long written;
  private IOException failure;

  ResponseBody(
      VertxMiltonResponse owner,
      HttpServerResponse response,
      Context context,
      HttpConnection connection) {
    this.owner = owner;
    this.response = response;
    this.context = context;
    this.files = zeroCopy(connection, context);
  }

  /**
   * The connection when sendfile works on it (the conditions Vert.x's own sendFile checks): plain
   * HTTP/1.x on a transport with file regions, without TLS, traffic shaping or compression.
   */
  private static Http1xServerConnection zeroCopy(HttpConnection connection, Context context) {
    if (connection instanceof Http1xServerConnection c
        && context instanceof ContextInternal ci
        && ci.owner().transport().supportFileRegion()
        && !c.isSsl()
        && !c.isTrafficShaped()
        && c.channelHandlerContext().pipeline().get(HttpContentCompressor.class) == null) {
      return c;
    }
    return null;
  }

  @Override
  public void write(int b) throws IOException {
    gatherSingle();
    room(1);
    pending[count++] = (byte) b;
    flushIfFull();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len > 0) {
      gatherSingle();
    }
    while (len > 0) {
      if (count == 0 && len >= COALESCE) {
        send(wrap(java.util.Arrays.copyOfRange(b, off, off + len), len));
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
    if (len == 0) {
      return;
    }
    if (single == null && count == 0 && len <= COALESCE) {
      single = buffer;
      return;
    }
    gatherSingle();
    if (count + len <= COALESCE) {
      // A small piece (a small file's only chunk) joins what is gathered: one write at the end.
      gather(buffer);
      return;
    }
    flushPending();
    send(buffer);
  }

  /** Copies {@code buffer}, which fits (at most COALESCE - count bytes), into what is gathered. */
  private void gather(Buffer buffer) throws IOException {
    int len = buffer.length();
    room(len);
    buffer.getBytes(0, len, pending, count);
    count += len;
    flushIfFull();
  }

  /** Another write follows the first piece kept as given: it joins what is gathered. */
  private void gatherSingle() throws IOException {
    if (single != null) {
      Buffer b = single;
      single = null;
      gather(b);
    }
  }

  /**
   * What is gathered and not sent, as one buffer this body gives up; null when nothing is. Either
   * the first piece as given or the gathering buffer: a piece is kept as given only while nothing
   * is gathered.
   */
  private Buffer unsent() {
    if (single != null) {
      Buffer b = single;
      single = null;
      return b;
    }
    if (pending == null || count == 0) {
      return null;
    }
    Buffer b = wrap(pending, count);
    pending = null;
    count = 0;
    return b;
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

  @Override
  public boolean sendsFiles() {
    return files != null;
  }

  @Override
  public void write(FileChannel file, long offset, long length) throws IOException {
    try {
      if (files == null) {
        throw new IllegalStateException("this response does not send files");
      }
      flushPending();
      if (length == 0) {
        closeQuietly(file);
        return;
      }
      reserve(length);
    } catch (IOException | RuntimeException e) {
      closeQuietly(file);
      throw e;
    }
    context.runOnContext(v -> sendFile(file, offset, length));
  }

  /**
   * On the event loop: queues the range as one region. One region per chunk: cutting it into
   * smaller ones (256 KiB, 64 KiB per sendfile call) made GETs slower here, not faster.
   */
  private void sendFile(FileChannel file, long offset, long length) {
    try {
      // The head goes first; with a buffer body it travels with the first buffer instead.
      if (!response.headWritten()) {
        response.writeHead();
      }
    } catch (RuntimeException e) {
      // The response ended or the connection closed before this range's turn.
      closeQuietly(file);
      sent(length, e);
      return;
    }
    ChannelPromise done = files.channel().newPromise();
    done.addListener(
        f -> {
          // Netty closes the file when it releases the region; a write that Vert.x cancels (the
          // connection closed first) never reaches Netty, so close here too.
          closeQuietly(file);
          sent(length, f.cause());
        });
    files.writeToChannel(new DefaultFileRegion(file, offset, length), done);
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
    Buffer b = unsent();
    if (b == null) {
      return null;
    }
    lock.lock();
    try {
      written += b.length();
    } finally {
      lock.unlock();
    }
    return b;
  }

  /** Drops the bytes gathered but not yet sent (a response reset to answer an error). */
  void dropGathered() {
    single = null;
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
    Buffer b = unsent();
    if (b != null) {
      send(b);
    }
  }

  /**
   * A buffer over the first {@code length} bytes of {@code bytes}, which the caller gives up:
   * Buffer.buffer(byte[]) would copy them once more.
   */
  private static Buffer wrap(byte[] bytes, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
  }

  private void send(Buffer data) throws IOException {
    int size = data.length();
    if (size == 0) {
      return;
    }
    reserve(size);
    context.runOnContext(v -> response.write(data).onComplete(ar -> sent(size, ar.cause())));
  }

  /**
   * Commits the response and counts {@code size} bytes as on their way, waiting while too much is
   * in flight already.
   */
  private void reserve(long size) throws IOException {
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
  }

  /** {@code size} bytes reached the connection, or failed to when {@code cause} is not null. */
  private void sent(long size, Throwable cause) {
    lock.lock();
    try {
      inFlight -= size;
      if (cause != null && failure == null) {
        failure = new IOException("response write failed", cause);
      }
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // A file opened only for reading loses nothing when its close fails.
    }
  }
}
