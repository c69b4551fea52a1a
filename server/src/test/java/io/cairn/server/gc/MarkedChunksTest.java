package io.cairn.server.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarkedChunksTest {

  private static ChunkHash random(Random rnd) {
    byte[] digest = new byte[32];
    rnd.nextBytes(digest);
    return ChunkHash.of(digest);
  }

  @Test
  void everyMarkedChunkIsFoundAfterTheTableGrewAndUnmarkedOnesAreNot() {
    MarkedChunks marked = new MarkedChunks();
    Random rnd = new Random(16);
    int n = 300_000; // past several growths from the first 65,536 slots
    for (int i = 0; i < n; i++) {
      assertTrue(marked.add(random(rnd)));
    }
    assertEquals(n, marked.size());
    Random again = new Random(16);
    for (int i = 0; i < n; i++) {
      ChunkHash hash = random(again);
      assertTrue(marked.contains(hash));
      assertFalse(marked.add(hash), "marked twice");
    }
    for (int i = 0; i < 10_000; i++) {
      assertFalse(marked.contains(random(again)));
    }
    assertEquals(n, marked.size());
  }

  @Test
  void aNameStartingWithSixtyFourZeroBitsIsMarkedToo() {
    MarkedChunks marked = new MarkedChunks();
    byte[] zeros = new byte[32];
    zeros[31] = 1;
    assertTrue(marked.add(ChunkHash.of(zeros)));
    assertTrue(marked.contains(ChunkHash.of(zeros)));
  }
}
