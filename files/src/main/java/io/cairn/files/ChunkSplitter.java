package io.cairn.files;

import io.cairn.core.chunk.ChunkStream;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a byte stream into content-defined chunks: the seam between the upload path and the
 * storage core's chunker ({@code io.cairn.core.chunk}), which the composition root plugs in.
 */
@FunctionalInterface
public interface ChunkSplitter {

  /**
   * Starts cutting {@code in}; the cursor owns the stream and closes it.
   *
   * @param expectedLength the bytes {@code in} is announced to hold, or -1 when unknown: a hint for
   *     sizing buffers; an input of another length is still cut whole
   */
  Cursor open(InputStream in, long expectedLength);

  /**
   * The longest chunk a cursor returns: what an upload's memory is sized by ({@link UploadBudget}).
   * Splitters that do not say are taken to cut as the default chunker does.
   */
  default int maxChunk() {
    return ChunkerParams.DEFAULT.max();
  }

  /** The storage core's FastCDC {@code chunker} as a splitter. */
  static ChunkSplitter of(Chunker chunker) {
    return new ChunkSplitter() {
      @Override
      public Cursor open(InputStream in, long expectedLength) {
        ChunkStream stream = chunker.stream(in, expectedLength);
        return new Cursor() {
          @Override
          public byte[] next() throws IOException {
            return stream.nextBytes();
          }

          @Override
          public void close() throws IOException {
            stream.close();
          }
        };
      }

      @Override
      public int maxChunk() {
        return chunker.params().max();
      }
    };
  }

  /** The chunks of one stream, in order. Used by one thread. */
  interface Cursor extends AutoCloseable {
    /**
     * The next chunk's bytes in an array the caller owns, or null after the last chunk.
     *
     * @throws IOException when the stream fails (a client that went away, a cut-off body)
     */
    byte[] next() throws IOException;

    /** Closes the underlying stream. */
    @Override
    void close() throws IOException;
  }
}
