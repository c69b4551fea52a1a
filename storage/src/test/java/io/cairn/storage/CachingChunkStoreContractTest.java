package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.cache.CachingChunkStore;
import io.cairn.storage.fs.FsChunkStore;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-chunk cache keeps the chunk store contract (with a budget small enough that eviction
 * runs during the suite), and answers repeated reads of small chunks from memory.
 */
class CachingChunkStoreContractTest extends ChunkStoreContractTest {
  @TempDir static Path base;
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();
  private CachingChunkStore cache;

  @Override
  protected ChunkStore open(String name) {
    cache =
        CachingChunkStore.of(
            await(FsChunkStore.open(base.resolve(name))), 200_000, 64 << 10, hits::incrementAndGet, misses::incrementAndGet);
    return cache;
  }

  @Override
  protected String expectedBackend() {
    return "fs";
  }

  /** Deletes every chunk file under the store's directory, behind the cache's back. */
  private void wipeDisk() throws IOException {
    try (Stream<Path> files = Files.walk(base.resolve(location))) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
        Files.delete(f);
      }
    }
  }

  @Test
  void smallChunksAreServedFromMemoryAndLargeOnesFromTheStore() throws IOException {
    byte[] small = bytes(4096);
    byte[] large = bytes(100_000);
    ChunkHash s = put(small);
    ChunkHash l = put(large);
    wipeDisk();
    int before = hits.get();
    assertArrayEquals(small, await(store.get(s)).getBytes(), "stored, then read from memory");
    assertArrayEquals(
        java.util.Arrays.copyOfRange(small, 100, 1100), await(store.get(s, 100, 1000)).getBytes());
    assertEquals(before + 2, hits.get());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(l)).kind(), "large: not kept");
  }

  @Test
  void theLeastRecentlyUsedChunksGoFirstAndTheBudgetHolds() throws IOException {
    ChunkHash[] hashes = new ChunkHash[60];
    byte[][] data = new byte[60][];
    for (int i = 0; i < hashes.length; i++) {
      data[i] = bytes(10_000);
      hashes[i] = put(data[i]);
      await(store.get(hashes[0])); // keeps the first one recently used
    }
    assertTrue(cache.cachedBytes() <= 200_000, "budget: " + cache.cachedBytes());
    wipeDisk();
    assertArrayEquals(data[0], await(store.get(hashes[0])).getBytes(), "recently used: kept");
    assertArrayEquals(data[59], await(store.get(hashes[59])).getBytes(), "newest: kept");
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(hashes[1])).kind(), "oldest: evicted");
  }

  @Test
  void aStoreOfLocalFilesStaysOneBehindTheCache() throws Exception {
    byte[] large = bytes(100_000);
    ChunkHash l = put(large);
    assertTrue(store instanceof LocalChunkFiles, "sendfile stays possible behind the cache");
    try (ChunkFileRange range = await(((LocalChunkFiles) store).open(l, 10, 1000))) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1000);
      range.channel().read(b, range.offset());
      assertArrayEquals(java.util.Arrays.copyOfRange(large, 10, 1010), b.array());
    }
  }

  @Test
  void aDeletedChunkIsGoneFromTheCacheToo() {
    byte[] small = bytes(2000);
    ChunkHash s = put(small);
    await(store.get(s));
    await(store.delete(s));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(s)).kind());
    assertEquals(0, cache.cachedBytes());
  }

  @Test
  void eachReaderGetsItsOwnBuffer() {
    byte[] small = bytes(3000);
    ChunkHash s = put(small);
    Buffer first = await(store.get(s));
    first.setByte(0, (byte) (small[0] ^ 1));
    assertArrayEquals(small, await(store.get(s)).getBytes(), "a reader's change does not leak");
  }
}
