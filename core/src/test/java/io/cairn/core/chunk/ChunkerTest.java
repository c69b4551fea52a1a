package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final ChunkerParams SMALL = new ChunkerParams(64, 256, 1024);
  private static final ChunkerParams MEDIUM = new ChunkerParams(1024, 4096, 16384);
  private static final int MIB = 1 << 20;

  @Test
  void cutsWhereOneBytePerStepFastCdcCuts() {
    byte[] data = TestBytes.random(1, 4 * MIB);
    Random random = new Random(2);
    for (ChunkerParams p : List.of(SMALL, MEDIUM, new ChunkerParams(100, 512, 777))) {
      Chunker chunker = new Chunker(p);
      ReferenceFastCdc reference = new ReferenceFastCdc(p);
      for (int k = 0; k < 20_000; k++) {
        int off = random.nextInt(data.length - 2 * p.max());
        int len = random.nextInt(2 * p.max());
        assertEquals(
            reference.cut(data, off, len), chunker.cut(data, off, len), p + " at " + off + "+" + len);
      }
    }
  }

  @Test
  void cutsWhereOneBytePerStepFastCdcCutsOnLowEntropyContent() {
    byte[] zeros = new byte[64 * 1024];
    byte[] text =
        "The quick brown fox jumps over the lazy dog. 0123456789\n"
            .repeat(2000)
            .getBytes(StandardCharsets.US_ASCII);
    byte[] sparse = new byte[64 * 1024];
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      sparse[random.nextInt(sparse.length)] = (byte) random.nextInt();
    }
    for (byte[] data : List.of(zeros, text, sparse)) {
      for (ChunkerParams p : List.of(SMALL, MEDIUM)) {
        Chunker chunker = new Chunker(p);
        ReferenceFastCdc reference = new ReferenceFastCdc(p);
        for (int off = 0; off < 3000; off += 7) {
          int len = data.length - off;
          assertEquals(reference.cut(data, off, len), chunker.cut(data, off, len));
        }
      }
    }
  }

  @Test
  void everyChunkButTheLastIsWithinMinAndMax() {
    byte[] random = TestBytes.random(4, 64 * MIB);
    assertWithinBounds(Chunker.DEFAULT, random);
    assertWithinBounds(new Chunker(MEDIUM), Arrays.copyOf(random, 4 * MIB));
    assertWithinBounds(new Chunker(SMALL), new byte[100_000]);
  }

  private static void assertWithinBounds(Chunker chunker, byte[] data) {
    ChunkerParams p = chunker.params();
    List<Integer> lengths = TestBytes.cutLengths(chunker, data);
    assertTrue(lengths.size() > 10, "too few chunks to mean anything: " + lengths.size());
    for (int i = 0; i < lengths.size() - 1; i++) {
      int n = lengths.get(i);
      assertTrue(n >= p.min() && n <= p.max(), "chunk " + i + " has " + n + " bytes");
    }
    int last = lengths.get(lengths.size() - 1);
    assertTrue(last >= 1 && last <= p.max(), "last chunk has " + last + " bytes");
  }

  @Test
  void chunksOfRandomContentAverageNearAvg() {
    byte[] data = TestBytes.random(5, 64 * MIB);
    for (ChunkerParams p : List.of(ChunkerParams.DEFAULT, MEDIUM)) {
      List<Integer> lengths = TestBytes.cutLengths(new Chunker(p), data);
      double mean = (double) data.length / lengths.size();
      assertTrue(mean > 0.75 * p.avg() && mean < 1.5 * p.avg(), p + ": mean chunk " + mean);
    }
  }

  @Test
  void shortRegionsAreOneChunk() {
    byte[] data = TestBytes.random(6, 1000);
    Chunker chunker = new Chunker(SMALL);
    assertEquals(0, chunker.cut(data, 0, 0));
    assertEquals(0, chunker.cut(data, 1000, 0));
    assertEquals(1, chunker.cut(data, 10, 1));
    assertEquals(64, chunker.cut(data, 10, 64));
  }

  @Test
  void looksNoFurtherThanMax() {
    byte[] data = new byte[100_000];
    Chunker chunker = new Chunker(MEDIUM);
    assertEquals(MEDIUM.max(), chunker.cut(data, 5, data.length - 5));
    byte[] random = TestBytes.random(7, 8 * MIB);
    for (int off = 0; off < 8 * MIB - 2 * MEDIUM.max(); off += 99_991) {
      int n = chunker.cut(random, off, 2 * MEDIUM.max());
      assertEquals(n, chunker.cut(random, off, MEDIUM.max()));
      byte[] tailChanged = random.clone();
      Arrays.fill(tailChanged, off + MEDIUM.max(), off + 2 * MEDIUM.max(), (byte) 1);
      assertEquals(n, chunker.cut(tailChanged, off, 2 * MEDIUM.max()));
    }
  }

  @Test
  void refusesRegionsOutsideTheArray() {
    byte[] data = new byte[100];
    assertThrows(IndexOutOfBoundsException.class, () -> Chunker.DEFAULT.cut(data, 50, 51));
    assertThrows(IndexOutOfBoundsException.class, () -> Chunker.DEFAULT.cut(data, -1, 10));
    assertThrows(IndexOutOfBoundsException.class, () -> Chunker.DEFAULT.cut(data, 0, -1));
  }

  @Test
  void cutPointsNeverChange() {
    // Stored data depends on where the cuts fall: these digests are part of the storage format.
    // If this fails, the change breaks deduplication against everything already stored.
    byte[] data = TestBytes.random(8, 32 * MIB);
    assertEquals(
        "27 d03fc3c9e8c6d017cce1d8afe60d81f9df5321af3d049ead2edc3cbe93016723",
        cutDigest(Chunker.DEFAULT, data));
    assertEquals(
        "447 9fc04cc3ce545de58c7fd403e83c5050125575d42e50c4c53fe00cd87cc11377",
        cutDigest(new Chunker(MEDIUM), Arrays.copyOf(data, 2 * MIB)));
  }

  private static String cutDigest(Chunker chunker, byte[] data) {
    List<Integer> lengths = TestBytes.cutLengths(chunker, data);
    ByteBuffer encoded = ByteBuffer.allocate(lengths.size() * Integer.BYTES);
    lengths.forEach(encoded::putInt);
    return lengths.size() + " " + ChunkHash.sha256(encoded.array()).hex();
  }
}
