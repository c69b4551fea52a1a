package io.cairn.server.gc;

import io.cairn.core.ChunkHash;
import java.nio.ByteBuffer;

/**
 * The chunks the mark found live, as the first 64 bits of each name in an open-addressing table:
 * 11 to 21 bytes per chunk (the table is kept at most three quarters full, where linear probing
 * still finds a name in a few probes), about 16 MB per million chunks where a {@code
 * HashSet<ChunkHash>} would take over 100. Growing holds the old table beside the new one: 3 million
 * chunks take a table of 32 MiB, 48 MiB while it grows, which a server's default 192 MiB heap
 * holds beside uploads; 5 million take 64 MiB, 96 while it grows, which needs -Xmx raised
 * (docs/operations.md, Memory). Two names sharing their first 64 bits
 * count as one, so an unreferenced chunk may be kept by a live one's prefix (one in 2^64 per pair
 * of chunks: when in doubt, it keeps); a live chunk is never missed. Not thread-safe.
 */
final class MarkedChunks {
  private long[] slots = new long[1 << 16];
  private int size;

  /** Marks {@code hash}; true when it was not marked before. */
  boolean add(ChunkHash hash) {
    long key = key(hash);
    if (size * 4L >= slots.length * 3L) {
      grow();
    }
    if (!insert(slots, key)) {
      return false;
    }
    size++;
    return true;
  }

  boolean contains(ChunkHash hash) {
    long key = key(hash);
    int mask = slots.length - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == 0) {
        return false;
      }
      if (slots[i] == key) {
        return true;
      }
    }
  }

  /** Distinct prefixes marked. */
  int size() {
    return size;
  }

  private boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (table[i] == 0) {
        table[i] = key;
        return true;
      }
      if (table[i] == key) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (long key : old) {
      if (key != 0) {
        insert(slots, key);
      }
    }
  }

  /** The name's first 64 bits; 0 marks an empty slot, so a name starting with 64 zero bits is 1. */
  private static long key(ChunkHash hash) {
    long k = ByteBuffer.wrap(hash.bytes(), 0, 8).getLong();
    return k == 0 ? 1 : k;
  }

  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
