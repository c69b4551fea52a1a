package io.cairn.server;

import io.cairn.cluster.lease.LocalLeases;
import io.cairn.core.ChunkHash;
import io.cairn.server.scrub.ScrubPosition;
import io.cairn.server.scrub.ScrubSchedule;
import io.cairn.server.scrub.ScrubSettings;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrub throughput with no rate limit on the embedded defaults, run by bench/scrub.sh, never by
 * CI: {@code cairn.bench.chunks} chunks (default 10,000) of {@code cairn.bench.chunk.kib} KiB
 * (default 64) of random bytes stored straight through the {@link FsChunkStore}, then one whole
 * pass ({@link ScrubSchedule#runNow}) that reads and re-hashes each, in chunks and MB per second.
 * The chunk files were just written, so they are read from the page cache: the figure is the
 * scrub's own cost (listing, reading, SHA-256, saving its position), not the disk's.
 */
class ScrubBench {
  static final int CHUNKS = Integer.getInteger("cairn.bench.chunks", 10_000);
  static final int KIB = Integer.getInteger("cairn.bench.chunk.kib", 64);

  @Test
  void figures(@TempDir Path dir) throws Exception {
    try (FsChunkStore store = FsChunkStore.open(dir.resolve("chunks")).toCompletionStage().toCompletableFuture().get();
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"))) {
      long t0 = System.nanoTime();
      storeChunks(store);
      System.out.printf("scrub bench: stored %,d chunks of %d KiB in %,d ms%n", CHUNKS, KIB,
          (System.nanoTime() - t0) / 1_000_000);
      // Rate 0: the schedule itself stays idle; runNow reads with no limit.
      try (ScrubSchedule scrub = new ScrubSchedule(journal, store, new LocalLeases(Clock.systemUTC()),
          new ScrubSettings(0, Duration.ofHours(24)), Clock.systemUTC(), new SimpleMeterRegistry(), hash -> { })) {
        for (int run = 1; run <= 2; run++) {
          long s0 = System.nanoTime();
          ScrubPosition p = scrub.runNow();
          long nanos = System.nanoTime() - s0;
          System.out.printf("scrub bench: pass %d: %,d chunks, %,d bytes, %d damaged in %,d ms: %,.0f chunks/s, %,.1f MB/s%n",
              run, p.checked(), p.bytes(), p.damaged(), nanos / 1_000_000, p.checked() * 1e9 / nanos,
              p.bytes() * 1e3 / nanos);
        }
      }
    }
  }

  private static void storeChunks(FsChunkStore store) throws Exception {
    Random random = new Random(7);
    List<Future<Boolean>> window = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      byte[] data = new byte[KIB << 10];
      random.nextBytes(data);
      ByteBuffer.wrap(data).putInt(i);
      window.add(store.put(ChunkHash.sha256(data), Buffer.buffer(data)));
      if (window.size() == 64) {
        for (Future<Boolean> f : window) {
          f.toCompletionStage().toCompletableFuture().get();
        }
        window.clear();
      }
    }
    for (Future<Boolean> f : window) {
      f.toCompletionStage().toCompletableFuture().get();
    }
  }
}
