package io.cairn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlocklistTest {
  private static Blocklist random(int blocks, long seed) {
    Random random = new Random(seed);
    List<BlockRef> refs = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      byte[] data = new byte[16];
      random.nextBytes(data);
      refs.add(new BlockRef(ChunkHash.sha256(data), 1 + random.nextInt(4 << 20)));
    }
    return new Blocklist(refs);
  }

  @Test
  void aDecodedBlocklistHasTheBlocksSizeAndEncodingOfTheOneEncoded() {
    for (int n : new int[] {1, 2, 1000}) {
      Blocklist built = random(n, n);
      Blocklist decoded = Blocklist.decode(built.encode());
      assertEquals(built, decoded);
      assertEquals(decoded, built);
      assertEquals(built.hashCode(), decoded.hashCode());
      assertEquals(built.blocks(), List.copyOf(decoded.blocks()));
      assertEquals(built.size(), decoded.size());
      assertEquals(n, decoded.blocks().size());
      assertEquals(built.blocks().get(n - 1), decoded.blocks().get(n - 1));
      assertArrayEquals(built.encode(), decoded.encode());
      assertEquals(decoded, new Blocklist(decoded.blocks()));
    }
  }

  @Test
  void aDecodedBlocklistCannotBeChangedThroughItsBytesOrItsList() {
    Blocklist built = random(3, 7);
    byte[] bytes = built.encode();
    Blocklist decoded = Blocklist.decode(bytes);
    bytes[0] ^= 1;
    bytes[ChunkHash.BYTES + 3] ^= 1;
    assertEquals(built, decoded);
    decoded.encode()[0] ^= 1;
    assertEquals(built, decoded);
    assertThrows(UnsupportedOperationException.class, () -> decoded.blocks().add(built.blocks().get(0)));
    assertThrows(UnsupportedOperationException.class, () -> decoded.blocks().set(0, built.blocks().get(1)));
    assertThrows(IndexOutOfBoundsException.class, () -> decoded.blocks().get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> decoded.blocks().get(-1));
  }

  @Test
  void emptyAndCorruptEncodings() {
    assertEquals(Blocklist.EMPTY, Blocklist.decode(null));
    assertEquals(Blocklist.EMPTY, Blocklist.decode(new byte[0]));
    assertEquals(0, Blocklist.decode(new byte[0]).size());
    assertThrows(CairnException.class, () -> Blocklist.decode(new byte[35]));
  }
}
