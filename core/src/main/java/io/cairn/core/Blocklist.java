package io.cairn.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered chunks that make a file's content. An empty file has an empty blocklist (a deleted
 * file has no entry at all). Encoded for storage as 36 bytes per block: the 32 hash bytes followed
 * by the length as a big-endian int.
 */
public record Blocklist(List<BlockRef> blocks) {
  public static final Blocklist EMPTY = new Blocklist(List.of());
  private static final int RECORD = ChunkHash.BYTES + Integer.BYTES;

  public Blocklist {
    blocks = List.copyOf(blocks);
  }

  /** The content length: the sum of the block lengths. */
  public long size() {
    long total = 0;
    for (BlockRef b : blocks) {
      total += b.length();
    }
    return total;
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(blocks.size() * RECORD);
    byte[] hash = new byte[ChunkHash.BYTES];
    for (BlockRef b : blocks) {
      b.hash().copyTo(hash, 0);
      out.put(hash).putInt(b.length());
    }
    return out.array();
  }

  /** Decodes {@link #encode()}'s output; null or empty bytes give the empty blocklist. */
  public static Blocklist decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      return EMPTY;
    }
    if (encoded.length % RECORD != 0) {
      throw new CairnException(
          CairnException.Kind.INTERNAL, "corrupt blocklist of " + encoded.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(encoded);
    List<BlockRef> blocks = new ArrayList<>(encoded.length / RECORD);
    byte[] hash = new byte[ChunkHash.BYTES];
    while (in.hasRemaining()) {
      in.get(hash);
      blocks.add(new BlockRef(ChunkHash.of(hash), in.getInt()));
    }
    return new Blocklist(blocks);
  }
}
