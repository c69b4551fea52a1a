package io.cairn.core.chunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded test content and the ways tests feed and cut it. */
final class TestBytes {
  private TestBytes() {}

  /** {@code n} bytes from java.util.Random, whose algorithm the JDK specifies for portability. */
  static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The chunk lengths {@link Chunker#cut} gives for {@code data} held whole in memory. */
  static List<Integer> cutLengths(Chunker chunker, byte[] data) {
    List<Integer> lengths = new ArrayList<>();
    int off = 0;
    while (off < data.length) {
      int n = chunker.cut(data, off, data.length - off);
      lengths.add(n);
      off += n;
    }
    return lengths;
  }

  /** {@code data} with {@code insert} inserted at {@code at}. */
  static byte[] inserted(byte[] data, int at, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + insert.length);
    out.write(data, 0, at);
    out.writeBytes(insert);
    out.write(data, at, data.length - at);
    return out.toByteArray();
  }

  /**
   * An input stream over {@code data} whose reads return a random number of bytes from 1 to
   * {@code maxRead}, as sockets and pipes do.
   */
  static InputStream choppy(byte[] data, long seed, int maxRead) {
    return new InputStream() {
      private final Random random = new Random(seed);
      private int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xFF : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (pos >= data.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 1 + random.nextInt(maxRead)), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
