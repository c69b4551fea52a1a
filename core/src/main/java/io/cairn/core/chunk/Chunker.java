package io.cairn.core.chunk;

import java.io.InputStream;
import java.util.Objects;

/**
 * Content-defined chunking with FastCDC as published in 2020 (Xia et al., "The Design of Fast
 * Content-Defined Chunking for Data Deduplication Based Storage Systems", IEEE TPDS 31(9)): a gear
 * rolling hash, cut-point skipping up to {@code min}, normalized chunking at level 2, and rolling
 * two bytes per loop step.
 *
 * <p>From a chunk's start the chunker skips {@code min} bytes, then rolls the gear hash {@code fp =
 * (fp << 1) + GEAR[byte]} from zero. Up to {@code avg} bytes it cuts after the first byte where
 * {@code fp & maskS == 0}, with {@code maskS} of {@code log2(avg) + 2} bits; from there up to
 * {@code max} it cuts where {@code fp & maskL == 0}, with {@code maskL} of {@code log2(avg) - 2}
 * bits; failing both it cuts at {@code max}. The chunk includes the byte that made the hash match.
 * See {@link Gear} for the table and the masks.
 *
 * <p>The cut points for given parameters are part of Cairn's storage format: they must never
 * change across versions, or new uploads of unchanged content would stop sharing chunks with what
 * is stored. A test pins them.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Chunker {
  /** A chunker with {@link ChunkerParams#DEFAULT}. */
  public static final Chunker DEFAULT = new Chunker(ChunkerParams.DEFAULT);

  /** Normalized chunking level: the masks have log2(avg) ± this many bits. */
  static final int NC_LEVEL = 2;

  private final ChunkerParams params;
  private final int min;
  private final int avg;
  private final int max;
  private final long maskS;
  private final long maskL;
  private final long maskSls;
  private final long maskLls;

  /** A chunker cutting with {@code params}. */
  public Chunker(ChunkerParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.min = params.min();
    this.avg = params.avg();
    this.max = params.max();
    this.maskS = Gear.spreadMask(params.avgBits() + NC_LEVEL);
    this.maskL = Gear.spreadMask(params.avgBits() - NC_LEVEL);
    this.maskSls = maskS << 1;
    this.maskLls = maskL << 1;
  }

  /** The size bounds this chunker cuts with. */
  public ChunkerParams params() {
    return params;
  }

  /**
   * The length of the chunk that starts at {@code buf[off]}, given that the content continues
   * with the {@code len} bytes {@code buf[off, off+len)}. Looks at no more than {@code max} bytes,
   * so when {@code len >= max} the answer does not depend on what follows; when {@code len < max}
   * the region is taken as the end of the content. The result is in {@code [min(len, min),
   * min(len, max)]}; 0 only when {@code len} is 0.
   *
   * <p>Pure: reads the region only, keeps no state.
   *
   * @throws IndexOutOfBoundsException if the region is not inside {@code buf}
   */
  public int cut(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len <= min) {
      return len;
    }
    int size = Math.min(len, max);
    int normal = Math.min(size, avg);
    long[] gear = Gear.TABLE;
    long[] gearLs = Gear.TABLE_LS;
    long fp = 0;
    int i = off + min;

    // Two bytes per step (FastCDC 2020 §3.3): fp<<2 + GEAR_LS[a] is the hash after byte a,
    // shifted left by one, so it is tested with the shifted mask; adding GEAR[b] then gives the
    // hash after byte b exactly. The masks never use bit 63, so no bit is lost to the shift.
    // On JDK 25's C2 (AMD Zen 5) this measured as fast as one byte per step, not faster: the
    // JIT unrolls that loop too. Two parallel hash lanes measured slower still.
    long mS = maskS;
    long mSls = maskSls;
    int end = off + normal - 1;
    for (; i < end; i += 2) {
      fp = (fp << 2) + gearLs[buf[i] & 0xFF];
      if ((fp & mSls) == 0) {
        return i + 1 - off;
      }
      fp += gear[buf[i + 1] & 0xFF];
      if ((fp & mS) == 0) {
        return i + 2 - off;
      }
    }
    if (i < off + normal) {
      fp = (fp << 1) + gear[buf[i] & 0xFF];
      if ((fp & mS) == 0) {
        return i + 1 - off;
      }
      i++;
    }

    long mL = maskL;
    long mLls = maskLls;
    end = off + size - 1;
    for (; i < end; i += 2) {
      fp = (fp << 2) + gearLs[buf[i] & 0xFF];
      if ((fp & mLls) == 0) {
        return i + 1 - off;
      }
      fp += gear[buf[i + 1] & 0xFF];
      if ((fp & mL) == 0) {
        return i + 2 - off;
      }
    }
    if (i < off + size) {
      fp = (fp << 1) + gear[buf[i] & 0xFF];
      if ((fp & mL) == 0) {
        return i + 1 - off;
      }
    }
    return size;
  }

  /**
   * Cuts {@code in} into chunks, reading it as the caller asks for chunks and holding about
   * {@code 2 * max} bytes of it at a time. The stream owns {@code in} and closes it when closed.
   */
  public ChunkStream stream(InputStream in) {
    return stream(in, -1);
  }

  /**
   * As {@link #stream(InputStream)}, for an input expected to hold {@code expectedLength} bytes (-1:
   * unknown), such as a request body of announced length: the stream's buffer is sized for that
   * many (at most {@code 2 * max}) instead of growing from 64 KiB, and a body that is one chunk is
   * handed over in that buffer without a copy. An input of another length is still cut correctly.
   */
  public ChunkStream stream(InputStream in, long expectedLength) {
    return new ChunkStream(this, Objects.requireNonNull(in, "in"), expectedLength);
  }
}
