package io.cairn.core.chunk;

import io.cairn.core.BlockRef;
import io.cairn.core.ChunkHash;
import java.util.Objects;

/**
 * One chunk cut from content: its bytes and their SHA-256.
 *
 * <p>The chunk owns {@code data}, an array of exactly the chunk's length that nothing else
 * refers to, so it may be handed to other threads (to hash, compress or upload) while the stream
 * it came from goes on. Nobody may modify the array. Two chunks are equal when their hashes are:
 * Cairn names content by its SHA-256.
 *
 * @param data the chunk's bytes, the whole array
 * @param hash the SHA-256 of {@code data}
 */
public record Chunk(byte[] data, ChunkHash hash) {
  public Chunk {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(hash, "hash");
  }

  /**
   * Hashes {@code data} on the calling thread and wraps it, without copying: the array becomes the
   * chunk's. Used with {@link ChunkStream#nextBytes()} to hash on other threads than the reader's.
   */
  public static Chunk of(byte[] data) {
    return new Chunk(data, ChunkHash.sha256(data));
  }

  /** The chunk's length in bytes. */
  public int length() {
    return data.length;
  }

  /** The chunk's entry in a blocklist. */
  public BlockRef ref() {
    return new BlockRef(hash, data.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk other && hash.equals(other.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Chunk[" + hash + ", " + data.length + " bytes]";
  }
}
