package io.cairn.core.chunk;

/**
 * Chunk size bounds for {@link Chunker}: every chunk but the last of a stream is at least {@code
 * min} and at most {@code max} bytes long, and chunk lengths cluster around {@code avg}.
 *
 * <p>Valid parameters satisfy {@code 64 <= min < avg < max <= 16 MiB} with {@code avg} a power of
 * two of at least 256; the constructor throws IllegalArgumentException otherwise. Changing the
 * parameters of a deployment is safe (chunks are named by their content) but old and new content
 * then share few chunks.
 *
 * @param min the smallest chunk length, except for a stream's last chunk
 * @param avg the length chunks cluster around (normalized chunking's switch point)
 * @param max the largest chunk length; the chunker cuts here when the content offers no cut point
 */
public record ChunkerParams(int min, int avg, int max) {
  /** The smallest {@code min} accepted. */
  public static final int MIN_MIN = 64;

  /** The smallest {@code avg} accepted: smaller averages leave too few bits in the easy mask. */
  public static final int MIN_AVG = 256;

  /** The largest {@code max} accepted: a chunk travels as one in-memory buffer. */
  public static final int MAX_MAX = 16 << 20;

  /**
   * 256 KiB / 1 MiB / 4 MiB, chosen by measurement: see docs/adr/0002-chunker-parameters.md.
   */
  public static final ChunkerParams DEFAULT = new ChunkerParams(256 << 10, 1 << 20, 4 << 20);

  public ChunkerParams {
    if (min < MIN_MIN || max > MAX_MAX || !(min < avg && avg < max)) {
      throw new IllegalArgumentException(
          "chunker parameters need " + MIN_MIN + " <= min < avg < max <= " + MAX_MAX
              + ", not " + min + "/" + avg + "/" + max);
    }
    if (avg < MIN_AVG || Integer.bitCount(avg) != 1) {
      throw new IllegalArgumentException(
          "the average chunk size must be a power of two >= " + MIN_AVG + ", not " + avg);
    }
  }

  /** The base-2 logarithm of {@code avg}: the number of bits a cut point must match on average. */
  public int avgBits() {
    return Integer.numberOfTrailingZeros(avg);
  }
}
