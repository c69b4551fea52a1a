package io.cairn.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of a chunk: the SHA-256 of its bytes. Immutable; compares and hashes by value; its
 * string form is 64 lower-case hex digits.
 */
public final class ChunkHash implements Comparable<ChunkHash> {
  public static final int BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hashCode;

  private ChunkHash(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = Arrays.hashCode(bytes);
  }

  /** Wraps 32 digest bytes (copied). */
  public static ChunkHash of(byte[] digest) {
    if (digest.length != BYTES) {
      throw new IllegalArgumentException("a chunk hash has 32 bytes, not " + digest.length);
    }
    return new ChunkHash(digest.clone());
  }

  /** The 32 bytes of {@code src} from {@code offset} (copied), as a blocklist stores them. */
  static ChunkHash at(byte[] src, int offset) {
    return new ChunkHash(Arrays.copyOfRange(src, offset, offset + BYTES));
  }

  /** Parses 64 hex digits; IllegalArgumentException for anything else. */
  public static ChunkHash parse(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException("a chunk hash is 64 hex digits");
    }
    return new ChunkHash(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
  }

  /** The SHA-256 of {@code data[offset, offset+length)}. */
  public static ChunkHash sha256(byte[] data, int offset, int length) {
    MessageDigest md = newSha256();
    md.update(data, offset, length);
    return new ChunkHash(md.digest());
  }

  public static ChunkHash sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A copy of the 32 digest bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Writes the 32 digest bytes into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, BYTES);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public int compareTo(ChunkHash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
