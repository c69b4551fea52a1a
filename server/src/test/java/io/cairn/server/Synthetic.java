package io.cairn.server;

import java.io.InputStream;

/**
 * Files for sync tests and benchmarks, made up on the fly: {@code size} bytes that are the same on
 * every call, and the same file after one edit (bytes inserted, appended or overwritten), without
 * holding either in memory.
 */
public final class Synthetic {
  private Synthetic() {}

  /** An edit of the base file: {@code length} new bytes inserted at, or written over, {@code at}. */
  public record Edit(long at, long length, boolean overwrite) {
    public static final Edit NONE = new Edit(0, 0, false);

    public static Edit insert(long at, long length) {
      return new Edit(at, length, false);
    }

    public static Edit overwrite(long at, long length) {
      return new Edit(at, length, true);
    }
  }

  /** The base file of {@code size} bytes with {@code edit} applied. */
  public static InputStream content(long size, Edit edit) {
    long total = edit.overwrite() ? Math.max(size, edit.at() + edit.length()) : size + edit.length();
    return new InputStream() {
      private long pos;
      private long word = -1;
      private long value;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        int n = (int) Math.min(len, total - pos);
        for (int i = 0; i < n; i++) {
          long p = pos + i;
          long base = base(p);
          if (base >= 0 && (base >>> 3) != word) {
            word = base >>> 3;
            value = mix(word);
          }
          b[off + i] = base < 0 ? (byte) (mix(p + 0x5bd1e995L) >>> 13) : (byte) (value >>> ((base & 7) * 8));
        }
        pos += n;
        return n;
      }

      /** The base file's offset that position {@code p} shows; -1 for a new byte. */
      private long base(long p) {
        long end = edit.at() + edit.length();
        if (p < edit.at()) {
          return p;
        }
        if (p < end) {
          return -1;
        }
        return edit.overwrite() ? p : p - edit.length();
      }
    };
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
