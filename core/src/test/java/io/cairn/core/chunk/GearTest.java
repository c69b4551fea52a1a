package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.core.ChunkHash;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GearTest {

  @Test
  void tableIsSplitMix64FromTheDocumentedSeed() {
    // SplittableRandom(seed) is SplitMix64 with the golden gamma: an independent generator.
    SplittableRandom splitMix = new SplittableRandom(Gear.SEED);
    for (int i = 0; i < 256; i++) {
      assertEquals(splitMix.nextLong(), Gear.TABLE[i], "gear entry " + i);
      assertEquals(Gear.TABLE[i] << 1, Gear.TABLE_LS[i], "shifted gear entry " + i);
    }
  }

  @Test
  void tableNeverChanges() {
    // Stored data depends on these values: this digest is part of the storage format.
    ByteBuffer table = ByteBuffer.allocate(256 * Long.BYTES);
    for (long g : Gear.TABLE) {
      table.putLong(g);
    }
    assertEquals(
        "8552e20744cdea7c9cb202fc42a6916706e42096e552e0a45fea8a94c6a36137",
        ChunkHash.sha256(table.array()).hex());
  }

  @Test
  void masksHaveTheirBitCountAndLeaveBit63Clear() {
    for (int bits = 1; bits <= 48; bits++) {
      long mask = Gear.spreadMask(bits);
      assertEquals(bits, Long.bitCount(mask), "bits of mask " + bits);
      assertEquals(0, mask >>> 63, "bit 63 of mask " + bits);
      assertEquals(bits, Long.bitCount(mask << 1), "bits of shifted mask " + bits);
      assertEquals(62, 63 - Long.numberOfLeadingZeros(mask), "top bit of mask " + bits);
    }
    assertThrows(IllegalArgumentException.class, () -> Gear.spreadMask(0));
    assertThrows(IllegalArgumentException.class, () -> Gear.spreadMask(49));
  }
}
