package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ChunkStreamTest {
  private static final ChunkerParams SMALL = new ChunkerParams(64, 256, 1024);
  private static final int MIB = 1 << 20;

  @Test
  void emptyInputHasNoChunks() throws IOException {
    try (ChunkStream chunks = Chunker.DEFAULT.stream(InputStream.nullInputStream())) {
      assertNull(chunks.next());
      assertNull(chunks.nextBytes());
      assertNull(chunks.next());
      assertEquals(0, chunks.position());
    }
  }

  @Test
  void chunksConcatenateToTheInputAndCarryTheirSha256() throws Exception {
    byte[] data = TestBytes.random(21, 64 * MIB);
    ByteArrayOutputStream joined = new ByteArrayOutputStream(data.length);
    List<Chunk> all = new ArrayList<>();
    try (ChunkStream chunks = Chunker.DEFAULT.stream(new ByteArrayInputStream(data))) {
      for (Chunk c = chunks.next(); c != null && all.size() < 10_000; c = chunks.next()) {
        all.add(c);
        assertEquals(joined.size() + (long) c.length(), chunks.position());
        joined.writeBytes(c.data());
      }
    }
    // Checked only after the whole stream was read: each chunk owns its bytes.
    assertArrayEquals(data, joined.toByteArray());
    int off = 0;
    for (Chunk c : all) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(data, off, c.length());
      assertArrayEquals(sha256.digest(), c.hash().bytes());
      assertEquals(c.length(), c.ref().length());
      assertEquals(c.hash(), c.ref().hash());
      off += c.length();
    }
    assertEquals(TestBytes.cutLengths(Chunker.DEFAULT, data), lengths(all));
  }

  @Test
  void cutsTheSameWhateverSizesTheReadsReturn() throws IOException {
    byte[] data = TestBytes.random(22, 2 * MIB);
    Chunker small = new Chunker(SMALL);
    List<Integer> expected = TestBytes.cutLengths(small, data);
    for (int maxRead : new int[] {1, 2, 3, 7, 100, 1023, 1024, 1025, 5000, 1 << 20}) {
      assertEquals(expected, streamedLengths(small, TestBytes.choppy(data, maxRead, maxRead)));
    }
    byte[] big = TestBytes.random(23, 40 * MIB);
    List<Integer> expectedBig = TestBytes.cutLengths(Chunker.DEFAULT, big);
    assertEquals(expectedBig, streamedLengths(Chunker.DEFAULT, TestBytes.choppy(big, 1, 300_000)));
    byte[] head = Arrays.copyOf(big, 10 * MIB);
    assertEquals(
        TestBytes.cutLengths(Chunker.DEFAULT, head),
        streamedLengths(Chunker.DEFAULT, TestBytes.choppy(head, 2, 1)));
  }

  @Test
  void chunksLongerThanTwiceTheAverageAreCutAsInOneArray() throws IOException {
    // Runs of zeros hold no cut point: chunks there reach max, and chunks running from random
    // bytes into zeros end anywhere between, past what the stream first reads ahead (2 * avg).
    byte[] data = TestBytes.random(27, 64 * 1024);
    for (int run = 0, at = 0; run < 40 && at < data.length; run++) {
      at += 200 + run * 37;
      int end = Math.min(data.length, at + 300 + run * 41);
      Arrays.fill(data, Math.min(at, end), end, (byte) 0);
      at = end;
    }
    Chunker small = new Chunker(SMALL);
    List<Integer> expected = TestBytes.cutLengths(small, data);
    assertTrue(expected.stream().anyMatch(n -> n == SMALL.max()), "some chunks reach max: " + expected);
    assertTrue(expected.stream().anyMatch(n -> n > 2 * SMALL.avg() && n < SMALL.max()),
        "some chunks end between 2 * avg and max: " + expected);
    for (int maxRead : new int[] {1, 3, 255, 512, 513, 1024, 4096}) {
      assertEquals(expected, streamedLengths(small, TestBytes.choppy(data, maxRead, maxRead)));
    }
  }

  @Test
  void anExpectedLengthCutsAsWithoutOneWhateverTheInputHolds() throws IOException {
    Chunker small = new Chunker(SMALL);
    byte[] data = TestBytes.random(28, 20_000);
    List<Integer> expected = TestBytes.cutLengths(small, data);
    // Announced right, too short, too long, zero, and below and above the buffer's 2 * max.
    for (long announced : new long[] {data.length, 1, 100, 1999, 2048, 2049, 19_999, 20_001, 50_000, 0}) {
      for (int maxRead : new int[] {1, 7, 1024, 1 << 20}) {
        assertEquals(expected, streamedLengths(small, TestBytes.choppy(data, maxRead, maxRead), announced),
            "announced " + announced + ", reads of up to " + maxRead);
      }
    }
    byte[] big = TestBytes.random(29, 12 * MIB);
    assertEquals(TestBytes.cutLengths(Chunker.DEFAULT, big),
        streamedLengths(Chunker.DEFAULT, TestBytes.choppy(big, 1000, 300_000), big.length));
  }

  @Test
  void aBodyOfOneChunkIsHandedOverWholeAndTheStreamGoesOnIfMoreComes() throws IOException {
    byte[] data = TestBytes.random(30, 40);
    try (ChunkStream chunks = new Chunker(SMALL).stream(new ByteArrayInputStream(data), data.length)) {
      assertArrayEquals(data, chunks.nextBytes());
      assertNull(chunks.nextBytes());
      assertEquals(data.length, chunks.position());
    }
    // Announced as 40 bytes, but more follow: the first 40 are not a chunk of their own.
    byte[] longer = TestBytes.random(31, 5000);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    List<Integer> lengths = new ArrayList<>();
    try (ChunkStream chunks = new Chunker(SMALL).stream(TestBytes.choppy(longer, 32, 40), 40)) {
      for (byte[] b = chunks.nextBytes(); b != null && lengths.size() < 1000; b = chunks.nextBytes()) {
        lengths.add(b.length);
        joined.writeBytes(b);
      }
    }
    assertArrayEquals(longer, joined.toByteArray());
    assertEquals(TestBytes.cutLengths(new Chunker(SMALL), longer), lengths);
  }

  @Test
  void aReadThatReturnsZeroFallsBackToSingleBytes() throws IOException {
    byte[] data = TestBytes.random(24, 100_000);
    InputStream zeroEveryOtherTime =
        new InputStream() {
          private final InputStream inner = TestBytes.choppy(data, 3, 4000);
          private boolean zero;

          @Override
          public int read() throws IOException {
            return inner.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            zero = !zero;
            return zero ? 0 : inner.read(b, off, len);
          }
        };
    Chunker small = new Chunker(SMALL);
    assertEquals(TestBytes.cutLengths(small, data), streamedLengths(small, zeroEveryOtherTime));
  }

  @Test
  void nextBytesGivesTheSameChunksUnhashed() throws IOException {
    byte[] data = TestBytes.random(25, 3 * MIB);
    Chunker small = new Chunker(SMALL);
    List<Chunk> hashed = new ArrayList<>();
    try (ChunkStream chunks = small.stream(new ByteArrayInputStream(data))) {
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        hashed.add(c);
      }
    }
    try (ChunkStream chunks = small.stream(new ByteArrayInputStream(data))) {
      for (Chunk expected : hashed) {
        byte[] raw = chunks.nextBytes();
        assertArrayEquals(expected.data(), raw);
        assertEquals(expected.hash(), Chunk.of(raw).hash());
        assertEquals(expected.hash(), ChunkHash.sha256(raw));
      }
      assertNull(chunks.nextBytes());
    }
  }

  @Test
  void closingClosesTheInputAndEndsTheStream() throws IOException {
    AtomicBoolean inputClosed = new AtomicBoolean();
    InputStream in =
        new ByteArrayInputStream(TestBytes.random(26, 10_000)) {
          @Override
          public void close() {
            inputClosed.set(true);
          }
        };
    ChunkStream chunks = new Chunker(SMALL).stream(in);
    assertTrue(chunks.next().length() >= SMALL.min());
    chunks.close();
    assertTrue(inputClosed.get());
    assertThrows(IOException.class, chunks::next);
    chunks.close();
  }

  @Test
  void readFailuresReachTheCaller() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk on fire");
          }
        };
    try (ChunkStream chunks = Chunker.DEFAULT.stream(failing)) {
      IOException e = assertThrows(IOException.class, chunks::next);
      assertEquals("disk on fire", e.getMessage());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Integer> streamedLengths(Chunker chunker, InputStream in)
      throws IOException {
    return streamedLengths(chunker, in, -1);
  }

  private static List<Integer> streamedLengths(Chunker chunker, InputStream in, long expectedLength)
      throws IOException {
    List<Integer> lengths = new ArrayList<>();
    try (ChunkStream chunks = chunker.stream(in, expectedLength)) {
      for (byte[] b = chunks.nextBytes(); b != null && lengths.size() < 1_000_000; ) {
        lengths.add(b.length);
        b = chunks.nextBytes();
      }
    }
    return lengths;
  }

  private static List<Integer> lengths(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::length).toList();
  }
}
