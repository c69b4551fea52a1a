package io.cairn.core.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The chunks of an {@link InputStream}, one at a time, in order, from {@link Chunker#stream}.
 *
 * <p>Memory stays bounded: the stream reads into one buffer of at most {@code 2 * max} bytes and
 * copies each chunk out into an array of its own, which the caller then owns. With the input's
 * expected length given, the buffer is that long (at most {@code 2 * max}) from the start, and a
 * chunk that is the whole buffer (a small file's only chunk) is handed over as it is, without a
 * copy: growing the buffer by doubling was 35% of all the bytes the server allocated under bench/http's
 * mixed load, each upload leaving its outgrown buffers (up to 8 MiB) behind as garbage. Without a
 * length the buffer starts at {@link #INITIAL_BUFFER} and doubles only while the input keeps coming:
 * allocating (and zeroing) 8 MiB up front for every 4 KiB upload was most of a small PUT's CPU. It
 * reads ahead of a chunk's
 * start only {@link #lookahead} bytes (twice the average chunk), not the maximum: most chunks end
 * before that, and the bytes read ahead are what moves to the buffer's front each time it fills, so
 * with the maximum read ahead a large body was copied once more in full. Concatenated, the chunks
 * are exactly the input's bytes, and they are cut exactly where {@link Chunker#cut} cuts the same
 * bytes held in one array, whatever sizes the input's reads return.
 *
 * <p>Not thread-safe: one thread reads the chunks; the chunks themselves may go anywhere. Closing
 * the stream closes the input.
 */
public final class ChunkStream implements AutoCloseable {
  private final Chunker chunker;
  private final InputStream in;
  static final int INITIAL_BUFFER = 64 << 10;

  private final int max;
  /** The bytes the input is expected to hold, or -1: see {@link Chunker#stream(InputStream, long)}. */
  private final long expectedLength;
  /** How many bytes were read from the input. */
  private long read;
  /**
   * How many bytes past a chunk's start are read before it is cut: a cut found inside them is
   * where {@link Chunker#cut} cuts the content however it continues; only a chunk reaching the
   * end of them is cut again with {@code max} bytes read ahead (about 1 in 50 at the defaults).
   */
  private final int lookahead;
  private byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean closed;
  private long position;

  ChunkStream(Chunker chunker, InputStream in, long expectedLength) {
    this.chunker = chunker;
    this.in = in;
    this.max = chunker.params().max();
    this.lookahead = (int) Math.min(max, 2L * chunker.params().avg());
    this.expectedLength = expectedLength;
    this.buf = new byte[expectedLength > 0
        ? (int) Math.min(2L * max, expectedLength)
        : Math.min(2 * max, INITIAL_BUFFER)];
  }

  /**
   * The next chunk, hashed with SHA-256 on the calling thread; null after the last one. Empty
   * input has no chunks.
   *
   * @throws IOException when the input fails to read, or the stream is closed
   */
  public Chunk next() throws IOException {
    byte[] data = nextBytes();
    return data == null ? null : Chunk.of(data);
  }

  /**
   * The next chunk's bytes without hashing them, in a new array of exactly the chunk's length that
   * the caller owns; null after the last chunk. For callers that hash on other threads ({@link
   * Chunk#of}) and for measuring the cutter alone.
   *
   * @throws IOException when the input fails to read, or the stream is closed
   */
  public byte[] nextBytes() throws IOException {
    if (closed) {
      throw new IOException("the chunk stream is closed");
    }
    fill(lookahead);
    if (start == end) {
      return null;
    }
    int available = end - start;
    int length = chunker.cut(buf, start, available);
    if (length == available && available < max && !eof) {
      // No cut inside what was read ahead (or one at its very last byte): the chunk may go on.
      fill(max);
      length = chunker.cut(buf, start, end - start);
    }
    position += length;
    if (start == 0 && length == buf.length) {
      // The chunk is the whole buffer (the input's expected length, read to its end): handed over
      // as it is. Were there more input, the next fill would start a buffer of its own.
      byte[] data = buf;
      buf = new byte[0];
      start = 0;
      end = 0;
      return data;
    }
    byte[] data = Arrays.copyOfRange(buf, start, start + length);
    start += length;
    return data;
  }

  /** How many bytes of the input the chunks returned so far hold: the next chunk's offset. */
  public long position() {
    return position;
  }

  /** Closes the input. Further calls to {@link #next()} fail; closing again does nothing. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      in.close();
    }
  }

  /**
   * Frees space after {@code end}: into a buffer twice as large while the buffer is under {@code 2
   * * max} (the input kept coming until it was full), else by moving the buffered bytes (under
   * max) to the front.
   */
  private void makeRoom() {
    int live = end - start;
    byte[] target = buf;
    if (buf.length < 2 * max) {
      target = new byte[Math.min(2 * max, Math.max(INITIAL_BUFFER, 2 * buf.length))];
    }
    System.arraycopy(buf, start, target, 0, live);
    buf = target;
    start = 0;
    end = live;
  }

  /** Reads until {@code ahead} bytes are buffered after {@code start}, or the input ends. */
  private void fill(int ahead) throws IOException {
    while (!eof && end - start < ahead) {
      if (end == buf.length) {
        if (read == expectedLength) {
          // As many bytes as expected are in: a one-byte read tells whether the input ends here,
          // before the buffer sized for them grows.
          readOneByte();
          continue;
        }
        makeRoom();
      }
      int n = in.read(buf, end, buf.length - end);
      if (n > 0) {
        end += n;
        read += n;
      } else if (n < 0) {
        eof = true;
      } else {
        // InputStream.read(byte[], int, int) may not return 0 for a non-empty request; a stream
        // that does so anyway gets the single-byte read, which must block or signal the end.
        readOneByte();
      }
    }
  }

  /** Reads one byte into the buffer (making room for it first if it is full), or notes the end. */
  private void readOneByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      eof = true;
      return;
    }
    if (end == buf.length) {
      makeRoom();
    }
    buf[end++] = (byte) b;
    read++;
  }
}
