package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkStore} promises its users, run against each backend by a subclass that
 * says how to open a store. Each test starts from an empty store at a fresh location.
 */
public abstract class ChunkStoreContractTest {
  /** Generous: the machine is shared; this bounds a hang, it measures nothing. */
  protected static final long TIMEOUT_SECONDS = 60;

  private final List<ChunkStore> opened = new ArrayList<>();
  private final Random random = new Random(20_261_121L);

  /** The location of {@link #store}; {@link #reopen()} opens it again. */
  protected String location;

  protected ChunkStore store;

  /**
   * Opens the store at location {@code name}: a name not used before gives an empty store, the name
   * of a closed store gives a new store over the chunks that one kept.
   */
  protected abstract ChunkStore open(String name) throws Exception;

  /** The name the backend reports in {@link ChunkStore#backend()}. */
  protected abstract String expectedBackend();

  @BeforeEach
  void openEmptyStore() throws Exception {
    location = "t-" + UUID.randomUUID();
    store = track(open(location));
  }

  @AfterEach
  void closeStores() {
    for (ChunkStore s : opened) {
      s.close();
    }
    opened.clear();
  }

  /** Closes {@link #store} and opens a new one over the same location. */
  protected ChunkStore reopen() throws Exception {
    store.close();
    store = track(open(location));
    return store;
  }

  protected ChunkStore track(ChunkStore s) {
    opened.add(s);
    return s;
  }

  @Test
  void putThenGetReturnsTheSameBytes() {
    byte[] data = bytes(100_000);
    ChunkHash hash = ChunkHash.sha256(data);
    assertTrue(await(store.put(hash, Buffer.buffer(data))));
    assertArrayEquals(data, await(store.get(hash)).getBytes());
  }

  @Test
  void secondPutOfTheSameChunkReportsItPresent() {
    byte[] data = bytes(5_000);
    ChunkHash hash = ChunkHash.sha256(data);
    assertTrue(await(store.put(hash, Buffer.buffer(data))), "first put stores");
    assertFalse(await(store.put(hash, Buffer.buffer(data))), "second put finds it present");
    assertArrayEquals(data, await(store.get(hash)).getBytes());
  }

  @Test
  void chunksPutWithAHashComputedHereReadBackLikeAnyOther() {
    byte[] small = bytes(4_096);
    byte[] large = bytes(300_000);  // past FsChunkStore's size for writing on the caller's thread
    for (byte[] data : List.of(small, large)) {
      ChunkHash hash = ChunkHash.sha256(data);
      assertTrue(await(store.putHashedHere(hash, Buffer.buffer(data))), "first put stores");
      assertFalse(await(store.put(hash, Buffer.buffer(data))), "a later put finds it present");
      assertArrayEquals(data, await(store.get(hash)).getBytes());
      assertEquals(Set.of(), await(store.missing(List.of(hash))));
    }
  }

  @Test
  void bytesThatDoNotMatchTheirHashAreRefusedAndNotStored() {
    byte[] data = bytes(10_000);
    ChunkHash hash = ChunkHash.sha256(data);
    byte[] other = data.clone();
    other[1234] ^= 1;
    CairnException e = failure(store.put(hash, Buffer.buffer(other)));
    assertEquals(CairnException.Kind.INTERNAL, e.kind());
    assertEquals(Set.of(hash), await(store.missing(List.of(hash))));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(hash)).kind());
    assertEquals(List.of(), await(store.list(null, 10)));
  }

  @Test
  void aReplaceStoresVerifiedBytesWhetherOrNotTheChunkIsThere() {
    byte[] absent = bytes(3_000);
    ChunkHash a = ChunkHash.sha256(absent);
    await(store.replace(a, Buffer.buffer(absent)));
    assertArrayEquals(absent, await(store.get(a)).getBytes(), "an absent chunk is stored");
    byte[] large = bytes(300_000);
    ChunkHash b = put(large);
    await(store.replace(b, Buffer.buffer(large)));
    assertArrayEquals(large, await(store.get(b)).getBytes(), "a present one is written again");
    byte[] wrong = large.clone();
    wrong[7] ^= 1;
    assertEquals(CairnException.Kind.INTERNAL, failure(store.replace(b, Buffer.buffer(wrong))).kind());
    assertArrayEquals(large, await(store.get(b)).getBytes(), "bytes that are not the chunk's change nothing");
    assertEquals(List.of(a, b).stream().sorted(java.util.Comparator.comparing(ChunkHash::hex)).toList(),
        await(store.list(null, 10)));
  }

  @Test
  void rangedGetReturnsExactlyTheRangeOrWhatIsLeft() {
    byte[] data = bytes(10_000);
    ChunkHash hash = put(data);
    assertRange(data, hash, 0, 100);
    assertRange(data, hash, 4_321, 1_000);
    assertRange(data, hash, 9_000, 1_000);
    assertRange(data, hash, 9_990, 100);
    assertRange(data, hash, 0, 10_000);
    assertRange(data, hash, 0, Long.MAX_VALUE);
    assertRange(data, hash, 5_000, 0);
    assertEquals(0, await(store.get(hash, 10_000, 10)).length(), "at the end: nothing");
    assertEquals(0, await(store.get(hash, 20_000, 10)).length(), "past the end: nothing");
  }

  @Test
  void getOfAMissingChunkFailsNotFound() {
    ChunkHash absent = ChunkHash.sha256(bytes(64));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(absent)).kind());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(absent, 0, 10)).kind());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(absent, 100, 10)).kind());
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(absent, 0, 0)).kind());
  }

  @Test
  void missingNamesExactlyTheAbsentChunks() {
    List<ChunkHash> present = new ArrayList<>();
    List<ChunkHash> absent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] data = bytes(100 + i);
      if (i % 3 == 0) {
        absent.add(ChunkHash.sha256(data));
      } else {
        present.add(put(data));
      }
    }
    List<ChunkHash> asked = new ArrayList<>(present);
    asked.addAll(absent);
    asked.add(absent.get(0));
    asked.add(present.get(0));
    assertEquals(new HashSet<>(absent), await(store.missing(asked)));
    assertEquals(Set.of(), await(store.missing(present)));
    assertEquals(Set.of(), await(store.missing(List.of())));
  }

  @Test
  void aDeletedChunkIsMissingAndCanBeStoredAgain() {
    byte[] data = bytes(3_000);
    ChunkHash hash = put(data);
    ChunkHash kept = put(bytes(3_001));
    await(store.delete(hash));
    assertEquals(Set.of(hash), await(store.missing(List.of(hash, kept))));
    assertEquals(CairnException.Kind.NOT_FOUND, failure(store.get(hash)).kind());
    assertEquals(List.of(kept), await(store.list(null, 10)));
    assertTrue(await(store.put(hash, Buffer.buffer(data))), "stored anew after delete");
    assertArrayEquals(data, await(store.get(hash)).getBytes());
  }

  @Test
  void deletingAnAbsentChunkSucceeds() {
    ChunkHash absent = ChunkHash.sha256(bytes(77));
    await(store.delete(absent));
    await(store.delete(absent));
    assertEquals(Set.of(absent), await(store.missing(List.of(absent))));
  }

  @Test
  void listPagesCoverEveryChunkOnceInAscendingOrder() {
    TreeSet<ChunkHash> stored = new TreeSet<>();
    for (int i = 0; i < 37; i++) {
      stored.add(put(bytes(50 + i)));
    }
    List<ChunkHash> seen = new ArrayList<>();
    ChunkHash cursor = null;
    for (int page = 0; page < 100; page++) {
      List<ChunkHash> batch = await(store.list(cursor, 5));
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(batch.size() <= 5, "a page holds at most the limit");
      for (ChunkHash h : batch) {
        if (cursor != null) {
          assertTrue(h.compareTo(cursor) > 0, "ascending and strictly after the cursor");
        }
        cursor = h;
      }
      seen.addAll(batch);
    }
    assertEquals(new ArrayList<>(stored), seen, "every chunk exactly once, in order");

    ChunkHash middle = new ArrayList<>(stored).get(18);
    assertEquals(new ArrayList<>(stored.tailSet(middle, false)), await(store.list(middle, 1000)));
    ChunkHash notStored = ChunkHash.sha256(bytes(5));
    assertEquals(
        new ArrayList<>(stored.tailSet(notStored, false)), await(store.list(notStored, 1000)));
    assertEquals(List.of(), await(store.list(stored.last(), 10)));
  }

  @Test
  void listStoredGivesEachChunksSizeAndWhenItWasStored() {
    java.time.Instant before = java.time.Instant.now().minusSeconds(60); // S3 keeps whole seconds
    ChunkHash small = put(bytes(10));
    ChunkHash large = put(bytes(70_000));
    java.time.Instant after = java.time.Instant.now().plusSeconds(60);
    List<StoredChunk> listed = await(store.listStored(null, 10));
    assertEquals(new TreeSet<>(List.of(small, large)).stream().toList(),
        listed.stream().map(StoredChunk::hash).toList(), "ascending, as list");
    for (StoredChunk c : listed) {
      assertEquals(c.hash().equals(small) ? 10 : 70_000, c.size());
      assertTrue(c.lastModified().isAfter(before) && c.lastModified().isBefore(after),
          "stored at " + c.lastModified() + ", between " + before + " and " + after);
    }
    assertEquals(List.of(), await(store.listStored(listed.getLast().hash(), 10)));
  }

  @Test
  void deleteIfNotModifiedAfterKeepsAChunkStoredLaterAndRemovesOneStoredBefore() {
    ChunkHash hash = put(bytes(4_000));
    ChunkHash other = put(bytes(4_001));
    java.time.Instant longAgo = java.time.Instant.now().minus(java.time.Duration.ofHours(2));
    assertFalse(await(store.deleteIfNotModifiedAfter(hash, longAgo)), "stored after the time: kept");
    assertEquals(Set.of(), await(store.missing(List.of(hash))));
    java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofHours(2));
    assertTrue(await(store.deleteIfNotModifiedAfter(hash, later)), "stored before the time: removed");
    assertEquals(Set.of(hash), await(store.missing(List.of(hash, other))));
    assertFalse(await(store.deleteIfNotModifiedAfter(hash, later)), "absent: nothing removed");
    assertEquals(List.of(other), await(store.list(null, 10)));
  }

  @Test
  void anEmptyChunkIsAChunkLikeAnyOther() {
    byte[] empty = new byte[0];
    ChunkHash hash = ChunkHash.sha256(empty);
    assertTrue(await(store.put(hash, Buffer.buffer())));
    assertFalse(await(store.put(hash, Buffer.buffer())));
    assertEquals(0, await(store.get(hash)).length());
    assertEquals(0, await(store.get(hash, 0, 10)).length());
    assertEquals(Set.of(), await(store.missing(List.of(hash))));
    assertEquals(List.of(hash), await(store.list(null, 10)));
  }

  @Test
  void aFourMebibyteChunkRoundTrips() {
    byte[] data = bytes(4 << 20);
    ChunkHash hash = put(data);
    assertArrayEquals(data, await(store.get(hash)).getBytes());
    assertRange(data, hash, (4 << 20) - 1024, 4096);
    assertRange(data, hash, 1 << 20, 1 << 20);
    // Not aligned to anything: a heap read crosses several of FsChunkStore's 256 KiB slices.
    assertRange(data, hash, 300_001, 1_000_003);
  }

  @Test
  void concurrentPutsOfTheSameChunkAllSucceedAndKeepItWhole() {
    byte[] data = bytes(300_000);
    ChunkHash hash = ChunkHash.sha256(data);
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      puts.add(store.put(hash, Buffer.buffer(data)));
    }
    long stored = puts.stream().map(ChunkStoreContractTest::await).filter(b -> b).count();
    assertTrue(stored >= 1, "at least one put stored it");
    assertArrayEquals(data, await(store.get(hash)).getBytes());
    assertEquals(List.of(hash), await(store.list(null, 10)));
  }

  @Test
  void concurrentPutsOfDifferentChunksAllLand() {
    List<byte[]> chunks = new ArrayList<>();
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      byte[] data = bytes(20_000 + i);
      chunks.add(data);
      puts.add(store.put(ChunkHash.sha256(data), Buffer.buffer(data)));
    }
    puts.forEach(f -> assertTrue(await(f)));
    for (byte[] data : chunks) {
      assertArrayEquals(data, await(store.get(ChunkHash.sha256(data))).getBytes());
    }
  }

  @Test
  void aNewStoreOverTheSameLocationSeesWhatTheOldOneKept() throws Exception {
    byte[] a = bytes(1_000);
    byte[] b = bytes(2_000);
    ChunkHash ha = put(a);
    ChunkHash hb = put(b);
    reopen();
    assertArrayEquals(a, await(store.get(ha)).getBytes());
    assertArrayEquals(b, await(store.get(hb)).getBytes());
    assertFalse(await(store.put(ha, Buffer.buffer(a))), "still present after restart");
    assertEquals(new ArrayList<>(new TreeSet<>(List.of(ha, hb))), await(store.list(null, 10)));
  }

  @Test
  void resultsArriveOnTheCallersVertxContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context context = vertx.getOrCreateContext();
      byte[] data = bytes(1_000);
      ChunkHash hash = ChunkHash.sha256(data);
      CompletableFuture<Context> putContext = new CompletableFuture<>();
      CompletableFuture<Context> getContext = new CompletableFuture<>();
      context.runOnContext(
          v ->
              store
                  .put(hash, Buffer.buffer(data))
                  .onComplete(ar -> putContext.complete(Vertx.currentContext()))
                  .compose(stored -> store.get(hash))
                  .onComplete(ar -> getContext.complete(Vertx.currentContext())));
      assertSame(context, putContext.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      assertSame(context, getContext.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } finally {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void nameOfTheBackend() {
    assertEquals(expectedBackend(), store.backend());
  }

  @Test
  void callsAfterCloseFailInsteadOfHanging() {
    store.close();
    ChunkHash hash = ChunkHash.sha256(bytes(10));
    assertNotNull(failure(store.get(hash)));
    assertNotNull(failure(store.put(hash, Buffer.buffer(bytes(10)))));
  }

  // ---- helpers ----

  protected byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  protected ChunkHash put(byte[] data) {
    ChunkHash hash = ChunkHash.sha256(data);
    assertTrue(await(store.put(hash, Buffer.buffer(data))), "newly stored");
    return hash;
  }

  private void assertRange(byte[] data, ChunkHash hash, long offset, long length) {
    int from = (int) Math.min(offset, data.length);
    int to = (int) Math.min(data.length, offset + Math.min(length, data.length));
    byte[] expected = Arrays.copyOfRange(data, from, to);
    byte[] actual = await(store.get(hash, offset, length)).getBytes();
    assertArrayEquals(expected, actual, "range " + offset + "+" + length);
  }

  /** The future's value; fails the test if it fails or takes longer than the bound. */
  protected static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /** The CairnException the future fails with; fails the test if it succeeds. */
  protected static CairnException failure(Future<?> future) {
    try {
      Object value =
          future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CairnException se) {
        return se;
      }
      throw new AssertionError("expected a CairnException, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
