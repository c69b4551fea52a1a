package io.cairn.storage.fs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and writes of heap buffers in slices of at most {@link #SLICE} bytes. The JDK copies a
 * heap buffer through a temporary native buffer of the whole remaining size for every read or
 * write (sun.nio.ch.Util): a 4 MiB chunk written or read in one call mallocs 4 MiB, and glibc then
 * raises its mmap threshold and keeps such blocks in its arenas after they are freed. Under bench/http's
 * mixed load those temporaries took tens of MiB of resident memory outside the heap (native memory
 * tracking's "Other", issue 16's figure 8). A slice keeps each temporary at {@code SLICE} bytes,
 * which the thread's buffer cache reuses; the extra system calls cost nothing measurable next to
 * the copy and the fsync. A direct buffer is passed through whole: it needs no temporary.
 */
final class SlicedFileIo {
  static final int SLICE = 256 << 10;

  private SlicedFileIo() {}

  /** Writes all of {@code buf}'s remaining bytes at the channel's position. */
  static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    int end = buf.limit();
    try {
      while (buf.position() < end) {
        if (!buf.isDirect()) {
          buf.limit(Math.min(end, buf.position() + SLICE));
        }
        ch.write(buf);
      }
    } finally {
      buf.limit(end);
    }
  }

  /**
   * Reads into {@code buf} from {@code position} on until it is full or the file ends; the bytes
   * read.
   */
  static int read(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int end = buf.limit();
    int total = 0;
    try {
      while (buf.position() < end) {
        if (!buf.isDirect()) {
          buf.limit(Math.min(end, buf.position() + SLICE));
        }
        int n = ch.read(buf, position + total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } finally {
      buf.limit(end);
    }
    return total;
  }

  /** The whole file, which must be shorter than 2 GiB (a chunk is a few MiB). */
  static byte[] readAll(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("file too large to read whole: " + size + " bytes");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    int n = read(ch, buf, 0);
    if (n < size) {
      throw new EOFException("file shrank while being read: " + n + " of " + size + " bytes");
    }
    return buf.array();
  }
}
