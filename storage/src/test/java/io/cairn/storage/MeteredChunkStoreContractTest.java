package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.metered.MeteredChunkStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics decorator keeps the chunk store contract, and counts what passes through it. */
class MeteredChunkStoreContractTest extends ChunkStoreContractTest {
  @TempDir static Path base;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Override
  protected ChunkStore open(String name) {
    return new MeteredChunkStore(await(FsChunkStore.open(base.resolve(name))), registry);
  }

  @Override
  protected String expectedBackend() {
    return "fs";
  }

  private double bytes(String name, String result) {
    var search = registry.find(name).tag("backend", "fs");
    if (result != null) {
      search = search.tag("result", result);
    }
    return search.counter().count();
  }

  private long calls(String op, String outcome) {
    var timer =
        registry.find("cairn.chunkstore.operation.duration")
            .tags("backend", "fs", "op", op, "outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void countsNewAndDeduplicatedBytesReadsAndFailures() {
    byte[] data = new byte[5_000];
    new Random(7).nextBytes(data);
    ChunkHash hash = ChunkHash.sha256(data);
    await(store.put(hash, Buffer.buffer(data)));
    await(store.put(hash, Buffer.buffer(data)));
    await(store.get(hash));
    await(store.get(hash, 100, 1_000));
    ChunkHash absent = ChunkHash.sha256(new byte[] {1, 2, 3});
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> store.get(absent).toCompletionStage().toCompletableFuture().get());
    assertTrue(e.getCause() instanceof CairnException, e.toString());

    assertEquals(5_000, bytes("cairn.chunkstore.put.bytes", "new"));
    assertEquals(5_000, bytes("cairn.chunkstore.put.bytes", "present"));
    assertEquals(6_000, bytes("cairn.chunkstore.get.bytes", null));
    assertEquals(2, calls("put", "ok"));
    assertEquals(2, calls("get", "ok"));
    assertEquals(1, calls("get", "not_found"));
  }

  @Test
  void ofKeepsTheLocalFilesCapabilityAndMetersOpens() {
    ChunkStore metered = MeteredChunkStore.of(await(FsChunkStore.open(base.resolve(location + "-of"))), registry);
    try {
      assertTrue(metered instanceof LocalChunkFiles, "an fs store keeps its files through the decorator");
      byte[] data = new byte[3_000];
      new Random(3).nextBytes(data);
      ChunkHash hash = ChunkHash.sha256(data);
      await(metered.put(hash, Buffer.buffer(data)));
      await(((LocalChunkFiles) metered).open(hash, 1_000, 500)).close();
      await(((LocalChunkFiles) metered).open(hash, 2_500, 5_000)).close();
      CairnException e =
          failure(((LocalChunkFiles) metered).open(ChunkHash.sha256(new byte[] {4}), 0, 1));
      assertEquals(CairnException.Kind.NOT_FOUND, e.kind());
      assertEquals(1_000, bytes("cairn.chunkstore.get.bytes", null), "the lengths handed out");
      assertEquals(2, calls("open", "ok"));
      assertEquals(1, calls("open", "not_found"));
    } finally {
      metered.close();
    }
    ChunkStore withoutFiles = MeteredChunkStore.of(new MeteredChunkStore(store, registry), registry);
    assertFalse(withoutFiles instanceof LocalChunkFiles, "a store without files gains none");
  }
}
