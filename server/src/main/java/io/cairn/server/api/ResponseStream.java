package io.cairn.server.api;

import io.cairn.files.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body as a blocking stream for a virtual thread: bytes gathered up to 64 KiB, each
 * batch written and waited for, so a slow reader holds the thread, not the heap.
 */
final class ResponseStream extends OutputStream {
  private static final int BATCH = 64 * 1024;

  private final HttpServerResponse response;
  private Buffer pending = Buffer.buffer(BATCH);

  ResponseStream(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    pending.appendByte((byte) b);
    if (pending.length() >= BATCH) {
      flush();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, BATCH - pending.length());
      pending.appendBytes(b, off, n);
      off += n;
      len -= n;
      if (pending.length() >= BATCH) {
        flush();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    if (pending.length() == 0) {
      return;
    }
    Buffer out = pending;
    pending = Buffer.buffer(BATCH);
    try {
      Await.result(response.write(out));
    } catch (RuntimeException e) {
      throw new IOException("the client went away", e);
    }
  }

  /** Sends what is left and ends the response. */
  @Override
  public void close() throws IOException {
    Buffer out = pending;
    pending = Buffer.buffer(0);
    try {
      Await.result(response.end(out));
    } catch (RuntimeException e) {
      throw new IOException("the client went away", e);
    }
  }
}
