package io.cairn.storage.s3;

import io.cairn.core.ChunkHash;

/**
 * How chunks are named in the bucket: {@code PREFIX ab/cd/<64 hex digits>}, the two fan-out folders
 * being the first four hex digits. Since the folders are prefixes of the name, S3's byte-ordered
 * listing of the keys is the ascending order of the hashes.
 */
final class S3Keys {
  private static final int HEX_LENGTH = 2 * ChunkHash.BYTES;

  private final String prefix;

  /** {@code prefix} is empty or ends with {@code /}. */
  S3Keys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  /** The object key of a chunk. */
  String key(ChunkHash hash) {
    String hex = hash.hex();
    return prefix + hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex;
  }

  /** The chunk a listed key names, or null for a key this store did not write. */
  ChunkHash chunkOf(String key) {
    if (key == null || !key.startsWith(prefix)) {
      return null;
    }
    String rest = key.substring(prefix.length());
    if (rest.length() != 6 + HEX_LENGTH || rest.charAt(2) != '/' || rest.charAt(5) != '/') {
      return null;
    }
    String hex = rest.substring(6);
    boolean wellFormed =
        rest.startsWith(hex.substring(0, 2))
            && rest.substring(3, 5).equals(hex.substring(2, 4))
            && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    return wellFormed ? ChunkHash.parse(hex) : null;
  }
}
