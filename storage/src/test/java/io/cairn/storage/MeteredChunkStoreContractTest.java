package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(e.getCause() instanceof StorageException, e.toString());

    assertEquals(5_000, bytes("cairn.chunkstore.put.bytes", "new"));
    assertEquals(5_000, bytes("cairn.chunkstore.put.bytes", "present"));
    assertEquals(6_000, bytes("cairn.chunkstore.get.bytes", null));
    assertEquals(2, calls("put", "ok"));
    assertEquals(2, calls("get", "ok"));
    assertEquals(1, calls("get", "not_found"));
  }
}
