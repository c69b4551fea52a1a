package io.cairn.core;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The ordered chunks that make a file's content. An empty file has an empty blocklist (a deleted
 * file has no entry at all). Encoded for storage as 36 bytes per block: the 32 hash bytes followed
 * by the length as a big-endian int. A decoded blocklist reads its blocks from those bytes when they
 * are asked for: a folder listing reads thousands of entries and never looks at their blocks.
 */
public record Blocklist(List<BlockRef> blocks) {
  public static final Blocklist EMPTY = new Blocklist(List.of());
  private static final int RECORD = ChunkHash.BYTES + Integer.BYTES;

  public Blocklist {
    blocks = blocks instanceof Encoded ? blocks : List.copyOf(blocks);
  }

  /** The content length: the sum of the block lengths. */
  public long size() {
    if (blocks instanceof Encoded e) {
      return e.size;
    }
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
    if (blocks instanceof Encoded e) {
      return e.bytes.clone();
    }
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
    return new Blocklist(new Encoded(encoded.clone()));
  }

  /** Blocks read from their encoding on access: immutable, as the list a blocklist copies is. */
  private static final class Encoded extends AbstractList<BlockRef> implements RandomAccess {
    private final byte[] bytes;
    private final long size;

    Encoded(byte[] bytes) {
      this.bytes = bytes;
      long total = 0;
      ByteBuffer in = ByteBuffer.wrap(bytes);
      for (int at = ChunkHash.BYTES; at < bytes.length; at += RECORD) {
        total += in.getInt(at);
      }
      this.size = total;
    }

    @Override
    public BlockRef get(int index) {
      if (index < 0 || index >= size()) {
        throw new IndexOutOfBoundsException(index);
      }
      int at = index * RECORD;
      return new BlockRef(ChunkHash.at(bytes, at), ByteBuffer.wrap(bytes).getInt(at + ChunkHash.BYTES));
    }

    @Override
    public int size() {
      return bytes.length / RECORD;
    }
  }
}
