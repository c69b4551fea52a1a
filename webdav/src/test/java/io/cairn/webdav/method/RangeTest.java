package io.cairn.webdav.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RangeTest {
  @Test
  void parsesOneByteRange() {
    assertArrayEquals(new long[] {0, 9}, GetHandler.range("bytes=0-9", 100));
    assertArrayEquals(new long[] {90, 99}, GetHandler.range("bytes=90-", 100));
    assertArrayEquals(new long[] {90, 99}, GetHandler.range("bytes=90-500", 100));
    assertArrayEquals(new long[] {80, 99}, GetHandler.range("bytes=-20", 100));
    assertArrayEquals(new long[] {0, 99}, GetHandler.range("bytes=-200", 100));
  }

  @Test
  void answersEverythingForWhatItIgnores() {
    assertNull(GetHandler.range(null, 100));
    assertNull(GetHandler.range("bytes=0-1,5-6", 100));
    assertNull(GetHandler.range("items=0-1", 100));
    assertNull(GetHandler.range("bytes=5-1", 100));
    assertNull(GetHandler.range("bytes=x-", 100));
  }

  @Test
  void detectsUnsatisfiableRanges() {
    assertEquals(0, GetHandler.range("bytes=100-", 100).length);
    assertEquals(0, GetHandler.range("bytes=-0", 100).length);
    assertEquals(0, GetHandler.range("bytes=0-", 0).length);
  }
}
