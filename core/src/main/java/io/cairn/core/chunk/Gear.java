package io.cairn.core.chunk;

/**
 * The gear table of Cairn's FastCDC: 256 fixed pseudo-random 64-bit values, one per byte value.
 *
 * <p>The values are the first 256 outputs of SplitMix64 (Steele, Lea, Flood: "Fast Splittable
 * Pseudorandom Number Generators", OOPSLA 2014) seeded with {@link #SEED}, the ASCII bytes of
 * "CairnCDC". They are computed here rather than listed so that their origin can be checked; a
 * test pins a digest of the table.
 *
 * <p>NEVER CHANGE the seed, the generator or the order: every stored file's chunk boundaries, and
 * so the deduplication of everything already stored, depend on these values.
 */
final class Gear {
  /** SplitMix64's seed: "CairnCDC" in ASCII, big-endian. */
  static final long SEED = 0x436169726E434443L;

  /** {@code TABLE[b]} is added to the rolling hash when byte {@code b & 0xFF} enters it. */
  static final long[] TABLE = new long[256];

  /**
   * {@code TABLE[b] << 1}: FastCDC 2020's table for rolling two bytes per step, so that the hash
   * after the first byte of a pair appears shifted left by one (checked with the masks shifted
   * left by one) and the second byte's entry can be added without a second shift.
   */
  static final long[] TABLE_LS = new long[256];

  static {
    long state = SEED;
    for (int i = 0; i < 256; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      TABLE[i] = z ^ (z >>> 31);
      TABLE_LS[i] = TABLE[i] << 1;
    }
  }

  private Gear() {}

  /**
   * A mask of {@code bits} one-bits spread evenly over bit positions 62 down to 15 (FastCDC's
   * "zero padding"): a gear hash's bit {@code p} depends on the last {@code p + 1} bytes, so high,
   * spread bits make each cut depend on a window of up to 63 bytes rather than on the last few.
   * Bit 63 stays clear so that the masks shifted left by one lose no bit, which keeps the
   * two-bytes-per-step loop exactly equivalent to rolling one byte at a time.
   */
  static long spreadMask(int bits) {
    if (bits < 1 || bits > 48) {
      throw new IllegalArgumentException("a mask has 1..48 bits, not " + bits);
    }
    long mask = 0;
    for (int j = 0; j < bits; j++) {
      mask |= 1L << (62 - (j * 48) / bits);
    }
    return mask;
  }
}
