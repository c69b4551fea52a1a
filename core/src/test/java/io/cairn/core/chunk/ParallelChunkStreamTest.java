package io.cairn.core.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParallelChunkStreamTest {
  private static final Chunker MEDIUM = new Chunker(new ChunkerParams(1024, 4096, 16384));
  private static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(3);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void yieldsWhatTheSequentialStreamYieldsInOrder() throws IOException {
    byte[] data = TestBytes.random(31, 8 << 20);
    List<Chunk> expected = new ArrayList<>();
    try (ChunkStream chunks = MEDIUM.stream(new ByteArrayInputStream(data))) {
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        expected.add(c);
      }
    }
    for (int window : new int[] {1, 2, 4, 64}) {
      List<Chunk> actual = new ArrayList<>();
      try (ParallelChunkStream chunks =
          new ParallelChunkStream(
              MEDIUM.stream(TestBytes.choppy(data, window, 50_000)), pool, window)) {
        for (Chunk c = chunks.next(); c != null && actual.size() <= expected.size(); ) {
          actual.add(c);
          c = chunks.next();
        }
        assertNull(chunks.next());
      }
      assertEquals(expected.size(), actual.size(), "window " + window);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).hash(), actual.get(i).hash(), "chunk " + i);
        assertArrayEquals(expected.get(i).data(), actual.get(i).data(), "chunk " + i);
      }
    }
  }

  @Test
  void emptyInputHasNoChunks() throws IOException {
    try (ParallelChunkStream chunks =
        new ParallelChunkStream(Chunker.DEFAULT.stream(InputStream.nullInputStream()), pool, 3)) {
      assertNull(chunks.next());
      assertNull(chunks.next());
    }
  }

  @Test
  void aReadFailureReachesTheCallerAndCloseEndsTheStream() throws IOException {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("cable unplugged");
          }
        };
    InputStream in =
        new SequenceInputStream(new ByteArrayInputStream(TestBytes.random(32, 100_000)), failing);
    ParallelChunkStream chunks = new ParallelChunkStream(MEDIUM.stream(in), pool, 4);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              for (int i = 0; i < 1000 && chunks.next() != null; i++) {
                // Reads on until the input fails after its 100,000 good bytes.
              }
            });
    assertEquals("cable unplugged", e.getMessage());
    chunks.close();
    assertThrows(IOException.class, chunks::next);
    chunks.close();
  }

  @Test
  void refusesAnEmptyWindow() {
    ChunkStream chunks = MEDIUM.stream(InputStream.nullInputStream());
    assertThrows(IllegalArgumentException.class, () -> new ParallelChunkStream(chunks, pool, 0));
  }
}
