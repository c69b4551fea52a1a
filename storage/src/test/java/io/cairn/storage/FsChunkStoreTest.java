package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.fs.FsChunkStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk store contract on local disk, and what only the file layout can show. */
class FsChunkStoreTest extends ChunkStoreContractTest {
  @TempDir static Path base;

  @Override
  protected ChunkStore open(String name) {
    return await(FsChunkStore.open(base.resolve(name)));
  }

  @Override
  protected String expectedBackend() {
    return "fs";
  }

  private Path root() {
    return base.resolve(location);
  }

  /** ADR 0012: a chunk an upload relies on must look fresh to garbage collection. */
  @Test
  void aPutOfAPresentChunkStoredLongAgoRefreshesItsTime() throws IOException {
    byte[] data = bytes(3_000);
    ChunkHash hash = put(data);
    Path file = root().resolve(hash.hex().substring(0, 2)).resolve(hash.hex().substring(2, 4)).resolve(hash.hex());
    java.time.Instant longAgo = java.time.Instant.now().minus(java.time.Duration.ofHours(3));
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(longAgo));
    java.time.Instant cutoff = java.time.Instant.now().minus(java.time.Duration.ofHours(2));
    assertFalse(await(store.put(hash, Buffer.buffer(data))), "present");
    assertFalse(await(store.deleteIfNotModifiedAfter(hash, cutoff)), "refreshed by the put: kept");
    assertTrue(await(store.listStored(null, 1)).getFirst().lastModified().isAfter(cutoff));
  }

  @Test
  void concurrentPutsOfTheSameChunkStoreItExactlyOnce() {
    byte[] data = bytes(200_000);
    ChunkHash hash = ChunkHash.sha256(data);
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      puts.add(store.put(hash, Buffer.buffer(data)));
    }
    assertEquals(1, puts.stream().map(ChunkStoreContractTest::await).filter(b -> b).count());
  }

  /** A request's virtual thread stores and reads a small chunk in place: same outcomes. */
  @Test
  void smallChunksOnAVirtualThreadBehaveTheSame() throws Exception {
    byte[] small = bytes(4096);
    byte[] large = bytes(300_000);
    byte[] wrong = small.clone();
    wrong[0] ^= 1;
    List<Object> seen = new ArrayList<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  Future<Boolean> first = store.put(hash(small), Buffer.buffer(small));
                  seen.add(first.isComplete());
                  seen.add(await(first));
                  seen.add(await(store.put(hash(small), Buffer.buffer(small))));
                  seen.add(await(store.put(hash(large), Buffer.buffer(large))));
                  seen.add(await(store.get(hash(small))).getBytes());
                  seen.add(await(store.get(hash(large))).getBytes());
                  seen.add(failure(store.get(hash(bytes(5)))).kind());
                  seen.add(failure(store.put(hash(bytes(6)), Buffer.buffer(wrong))).kind());
                });
    t.join(30_000);
    assertEquals(8, seen.size(), "the virtual thread ran to its end: " + seen);
    assertEquals(true, seen.get(0), "a small put from a virtual thread is done when it returns");
    assertEquals(true, seen.get(1));
    assertEquals(false, seen.get(2), "the second put of the same chunk is not new");
    assertEquals(true, seen.get(3));
    assertArrayEquals(small, (byte[]) seen.get(4));
    assertArrayEquals(large, (byte[]) seen.get(5));
    assertEquals(CairnException.Kind.NOT_FOUND, seen.get(6));
    assertEquals(CairnException.Kind.INTERNAL, seen.get(7));
    assertArrayEquals(small, await(store.get(hash(small))).getBytes(), "durable for other readers");
  }

  /** A request's virtual thread opens chunk files in place (a large GET opens one per chunk). */
  @Test
  void aVirtualThreadOpensChunkFilesInPlaceWithTheSameOutcomes() throws Exception {
    byte[] data = bytes(300_000);
    ChunkHash hash = put(data);
    LocalChunkFiles files = (LocalChunkFiles) store;
    List<Object> seen = new ArrayList<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  Future<ChunkFileRange> opened = files.open(hash, 1_000, 200_000);
                  seen.add(opened.isComplete());
                  try (ChunkFileRange range = await(opened)) {
                    seen.add(read(range));
                  } catch (IOException e) {
                    seen.add(e);
                  }
                  seen.add(failure(files.open(hash(bytes(7)), 0, 10)).kind());
                });
    t.join(30_000);
    assertEquals(3, seen.size(), "the virtual thread ran to its end: " + seen);
    assertEquals(true, seen.get(0), "an open from a request's virtual thread is done when it returns");
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 1_000, 201_000), (byte[]) seen.get(1));
    assertEquals(CairnException.Kind.NOT_FOUND, seen.get(2));
  }

  @Test
  void noTemporaryFilesAreLeftBehind() throws IOException {
    byte[] data = bytes(50_000);
    ChunkHash hash = ChunkHash.sha256(data);
    List<Future<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      puts.add(store.put(hash, Buffer.buffer(data)));
    }
    puts.forEach(ChunkStoreContractTest::await);
    put(bytes(10));
    byte[] wrong = data.clone();
    wrong[0] ^= 1;
    failure(store.put(hash(bytes(7)), Buffer.buffer(wrong)));

    assertEquals(List.of(), filesIn(root().resolve("tmp")), "tmp/ is empty");
    for (Path file : filesIn(root())) {
      String rel = root().relativize(file).toString();
      assertTrue(
          rel.equals("lock") || rel.matches("[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}"),
          "only chunks and the lock file: " + rel);
    }
  }

  @Test
  void strayFilesAreNeverListedAndLeftoverTempFilesGoAtOpen() throws Exception {
    ChunkHash real = put(bytes(1_000));
    String hex = ChunkHash.sha256(bytes(1_001)).hex();
    Path leftover = Files.writeString(root().resolve("tmp").resolve(hex + ".1.tmp"), "half");
    Path fanOut =
        Files.createDirectories(root().resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)));
    Files.writeString(fanOut.resolve(hex + ".1.tmp"), "stray");
    Files.writeString(fanOut.resolve(hex.toUpperCase()), "wrong case");
    String elsewhere = hex.startsWith("00") ? "ff" : "00";
    Path wrongDir = Files.createDirectories(root().resolve(elsewhere).resolve("00"));
    Files.writeString(wrongDir.resolve(hex), "wrong folder");
    Files.writeString(root().resolve(hex), "top level");

    assertEquals(List.of(real), await(store.list(null, 100)));
    reopen();
    assertFalse(Files.exists(leftover), "temp files of a crashed store are removed at open");
    assertEquals(List.of(real), await(store.list(null, 100)));
  }

  @Test
  void aChunkCorruptedOnDiskFailsVerifyButIsReadAsIs() throws IOException {
    byte[] data = bytes(4_000);
    ChunkHash hash = put(data);
    Path file =
        root()
            .resolve(hash.hex().substring(0, 2))
            .resolve(hash.hex().substring(2, 4))
            .resolve(hash.hex());
    byte[] onDisk = Files.readAllBytes(file);
    assertArrayEquals(data, onDisk, "stored as-is under ab/cd/<hex>");
    onDisk[100] ^= 0x40;
    Files.write(file, onDisk);
    assertEquals(CairnException.Kind.INTERNAL, failure(((FsChunkStore) store).verify(hash)).kind());
    assertArrayEquals(onDisk, await(store.get(hash)).getBytes(), "reads do not hash");
    assertFalse(await(store.put(hash, Buffer.buffer(data))), "a put keeps the stored copy");
    assertArrayEquals(onDisk, Files.readAllBytes(file));
    await(store.replace(hash, Buffer.buffer(data)));
    assertArrayEquals(data, Files.readAllBytes(file), "a replace writes the sound bytes over it");
    await(((FsChunkStore) store).verify(hash));
    try (var left = Files.list(root().resolve("tmp"))) {
      assertEquals(0, left.count(), "no temp file left behind");
    }
  }

  @Test
  void aSecondStoreOverAnOpenDirectoryIsRefused() {
    CairnException e = failure(FsChunkStore.open(root()));
    assertEquals(CairnException.Kind.LOCKED, e.kind());
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
  }

  @Test
  void aReadOnlyStoreReadsBesideTheOpenStoreAndWritesNothing() throws IOException {
    byte[] data = bytes(2_000);
    ChunkHash kept = put(data);
    Path leftover = Files.writeString(root().resolve("tmp").resolve(kept.hex() + ".9.tmp"), "half");
    ChunkStore readOnly = track(await(FsChunkStore.openReadOnly(root())));
    byte[] other = bytes(2_001);
    ChunkHash absent = ChunkHash.sha256(other);
    assertEquals(Set.of(absent), await(readOnly.missing(List.of(kept, absent))));
    assertArrayEquals(data, await(readOnly.get(kept)).getBytes());
    assertEquals(CairnException.Kind.INTERNAL,
        failure(readOnly.put(absent, Buffer.buffer(other))).kind());
    assertEquals(CairnException.Kind.INTERNAL, failure(readOnly.delete(kept)).kind());
    readOnly.close();
    assertTrue(Files.exists(leftover), "the writer's temp files are left alone");
    assertEquals(Set.of(), await(store.missing(List.of(kept))), "the writer's store still works");
    assertEquals(CairnException.Kind.INTERNAL,
        failure(FsChunkStore.openReadOnly(base.resolve(location + "-nothing-here"))).kind());
    assertFalse(Files.exists(base.resolve(location + "-nothing-here")), "nothing is created");
  }

  @Test
  void opensFromAFileUri() {
    Path dir = base.resolve(location + "-uri");
    ChunkStore byUri = track(await(FsChunkStore.open(dir.toUri())));
    byte[] data = bytes(100);
    assertTrue(await(byUri.put(ChunkHash.sha256(data), Buffer.buffer(data))));
    assertEquals(Set.of(), await(byUri.missing(List.of(ChunkHash.sha256(data)))));
    assertTrue(Files.isDirectory(dir.resolve("tmp")));
  }

  @Test
  void opensTheChunkFileForTheRangeAGetWouldRead() throws IOException {
    byte[] data = bytes(10_000);
    ChunkHash hash = put(data);
    LocalChunkFiles files = (LocalChunkFiles) store;
    try (ChunkFileRange whole = await(files.open(hash, 0, data.length))) {
      assertEquals(0, whole.offset());
      assertEquals(data.length, whole.length());
      assertArrayEquals(data, read(whole));
    }
    try (ChunkFileRange middle = await(files.open(hash, 1_000, 2_500))) {
      assertArrayEquals(await(store.get(hash, 1_000, 2_500)).getBytes(), read(middle));
    }
    try (ChunkFileRange tail = await(files.open(hash, 9_000, 5_000))) {
      assertEquals(1_000, tail.length(), "shorter when the chunk ends first, as get");
      assertArrayEquals(await(store.get(hash, 9_000, 5_000)).getBytes(), read(tail));
    }
    try (ChunkFileRange past = await(files.open(hash, 20_000, 10))) {
      assertEquals(0, past.length());
    }
  }

  @Test
  void openFailsLikeGetAndAnOpenFileOutlivesTheChunk() throws IOException {
    LocalChunkFiles files = (LocalChunkFiles) store;
    ChunkHash absent = hash(new byte[] {9, 9});
    assertEquals(CairnException.Kind.NOT_FOUND, failure(files.open(absent, 0, 10)).kind());
    byte[] data = bytes(3_000);
    ChunkHash hash = put(data);
    assertEquals(CairnException.Kind.INTERNAL, failure(files.open(hash, -1, 10)).kind());
    assertEquals(CairnException.Kind.INTERNAL, failure(files.open(null, 0, 10)).kind());
    ChunkFileRange open = await(files.open(hash, 0, data.length));
    try {
      await(store.delete(hash));
      assertArrayEquals(data, read(open), "deleting a chunk does not cut off a reader");
    } finally {
      open.close();
    }
    assertFalse(open.channel().isOpen());
  }

  private static byte[] read(ChunkFileRange range) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) range.length());
    long at = range.offset();
    for (int i = 0; buf.hasRemaining() && i < 1_000; i++) {
      int n = range.channel().read(buf, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
    return java.util.Arrays.copyOf(buf.array(), buf.position());
  }

  private static ChunkHash hash(byte[] data) {
    return ChunkHash.sha256(data);
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
