package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChunkerParamsTest {

  @Test
  void defaultIs256KiB1MiB4MiB() {
    assertEquals(new ChunkerParams(256 * 1024, 1024 * 1024, 4 * 1024 * 1024), ChunkerParams.DEFAULT);
    assertEquals(20, ChunkerParams.DEFAULT.avgBits());
  }

  @Test
  void acceptsTheExtremes() {
    ChunkerParams small = new ChunkerParams(64, 256, 257);
    assertEquals(8, small.avgBits());
    ChunkerParams large = new ChunkerParams((8 << 20) - 1, 8 << 20, 16 << 20);
    assertEquals(23, large.avgBits());
  }

  @Test
  void rejectsSizesOutOfOrder() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 1024, 4096));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(2048, 1024, 4096));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(256, 1024, 1024));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(256, 1024, 512));
  }

  @Test
  void rejectsAnAverageThatIsNotAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(256, 1000, 4096));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(256, 1536, 4096));
  }

  @Test
  void rejectsSizesBeyondTheLimits() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(63, 256, 1024));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(64, 128, 1024));
    assertThrows(
        IllegalArgumentException.class, () -> new ChunkerParams(1 << 20, 8 << 20, (16 << 20) + 1));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(-1, 1024, 4096));
  }
}
