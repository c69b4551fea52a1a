package io.cairn.core;

/** One chunk of a file's content: its name and its length in bytes. */
public record BlockRef(ChunkHash hash, int length) {
  public BlockRef {
    if (hash == null || length < 0) {
      throw new IllegalArgumentException("a block needs a hash and a length >= 0");
    }
  }
}
