package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Content-defined cuts survive edits: what an edit does not touch stays in the same chunks. */
class ChunkerDedupTest {
  private static final int MIB = 1 << 20;
  private static final byte[] ORIGINAL = TestBytes.random(11, 64 * MIB);

  @Test
  void insertingOneKibInTheMiddleKeepsAtLeast95PercentOfBytesInSharedChunks() {
    byte[] edited = TestBytes.inserted(ORIGINAL, ORIGINAL.length / 2, TestBytes.random(12, 1024));
    double shared = sharedFraction(ORIGINAL, edited);
    assertTrue(shared >= 0.95, "shared " + shared);
  }

  @Test
  void appendingKeepsEveryChunkButTheLast() {
    byte[] appended = TestBytes.inserted(ORIGINAL, ORIGINAL.length, TestBytes.random(13, MIB));
    Set<ChunkHash> before = hashes(ORIGINAL).all;
    Chunks after = hashes(appended);
    int kept = 0;
    for (ChunkHash h : after.order) {
      if (before.contains(h)) {
        kept++;
      }
    }
    assertTrue(kept >= before.size() - 1, "kept " + kept + " of " + before.size());
  }

  @Test
  void unchangedContentSharesEverything() {
    assertEquals(1.0, sharedFraction(ORIGINAL, ORIGINAL.clone()));
  }

  /** The fraction of {@code edited}'s bytes that lie in chunks {@code original} also has. */
  private static double sharedFraction(byte[] original, byte[] edited) {
    Set<ChunkHash> known = hashes(original).all;
    long sharedBytes = 0;
    int off = 0;
    while (off < edited.length) {
      int n = Chunker.DEFAULT.cut(edited, off, edited.length - off);
      if (known.contains(ChunkHash.sha256(edited, off, n))) {
        sharedBytes += n;
      }
      off += n;
    }
    return (double) sharedBytes / edited.length;
  }

  private record Chunks(List<ChunkHash> order, Set<ChunkHash> all) {}

  private static Chunks hashes(byte[] data) {
    List<ChunkHash> order = new ArrayList<>();
    int off = 0;
    while (off < data.length) {
      int n = Chunker.DEFAULT.cut(data, off, data.length - off);
      order.add(ChunkHash.sha256(data, off, n));
      off += n;
    }
    return new Chunks(order, new HashSet<>(order));
  }
}
