package io.cairn.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * An open, read-only chunk file and the range of it to send, from {@link LocalChunkFiles#open}.
 * Whoever holds it closes it.
 *
 * @param channel the chunk's file, open for reading
 * @param offset where the range starts in the file
 * @param length how many bytes the range has; the file has at least {@code offset + length}
 */
public record ChunkFileRange(FileChannel channel, long offset, long length) implements AutoCloseable {

  public ChunkFileRange {
    Objects.requireNonNull(channel, "channel");
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must be >= 0");
    }
  }

  /** Closes the file; closing it again does nothing. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a file opened only for reading loses nothing: there is no data to flush.
    }
  }
}
