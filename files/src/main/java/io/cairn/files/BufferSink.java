package io.cairn.files;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * An output that takes Vert.x buffers as they are, so that chunks read from the chunk store go to
 * the client without being copied into byte arrays first. The response body implements it; the
 * download path uses it when it finds it.
 */
public interface BufferSink {
  /**
   * Writes the whole buffer; may block while too much is in flight.
   *
   * @throws IOException when the client went away
   */
  void write(Buffer buffer) throws IOException;
}
