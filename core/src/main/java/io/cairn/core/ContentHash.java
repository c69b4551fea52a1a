package io.cairn.core;

import java.security.MessageDigest;

/**
 * A file's content hash and the strong ETag made from it.
 *
 * <p>The content hash is the SHA-256 over the concatenated 32-byte SHA-256 hashes of the file's
 * chunks, in order, as 64 hex digits: it costs one small digest per upload instead of a second pass
 * over every byte, and it changes whenever the content does. Two equal contents cut at the same
 * boundaries get the same hash; since the chunker's boundaries depend on its parameters, equal
 * content uploaded under different chunker parameters may get different hashes (and ETags), which
 * only costs a client a redundant download. The empty file's hash is the SHA-256 of nothing.
 */
public final class ContentHash {
  private ContentHash() {}

  /** The content hash of the content made of {@code blocklist}. */
  public static String of(Blocklist blocklist) {
    MessageDigest md = ChunkHash.newSha256();
    byte[] hash = new byte[ChunkHash.BYTES];
    for (BlockRef b : blocklist.blocks()) {
      b.hash().copyTo(hash, 0);
      md.update(hash);
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  /**
   * The strong ETag (RFC 9110 §8.8.3) of a file with this content hash: its first 128 bits (32 hex
   * digits) in quotes. Unique enough for a validator (a collision takes about 2^64 versions of one
   * file), and short enough for clients that build If headers in small buffers: neon, the HTTP
   * library of litmus and cadaver, cuts request headers at 199 characters, which a lock token and
   * two full 64-digit ETags exceed.
   */
  public static String etag(String contentHash) {
    if (contentHash == null) {
      return null;
    }
    return "\"" + contentHash.substring(0, Math.min(32, contentHash.length())) + "\"";
  }
}
