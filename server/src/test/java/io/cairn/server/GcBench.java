package io.cairn.server;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.core.ContentHash;
import io.cairn.server.fsck.Fsck;
import io.cairn.server.gc.GarbageCollector;
import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection throughput on the embedded defaults (SQLite journal, chunks on local disk),
 * run by bench/gc.sh, never by CI: {@code cairn.bench.chunks} chunks (default 100,000) of 1 KiB
 * stored straight through the {@link FsChunkStore}, half of them named by files of 100 chunks in
 * the journal, in {@code cairn.bench.namespaces} namespaces (default 1; more shows what gc's
 * re-read of the namespaces after each announcement costs); then a dry run (mark and list), a
 * run that deletes the other half, and fsck, each in chunks per second. The runs' clock is three
 * days ahead so that every unnamed chunk is past the grace.
 */
class GcBench {
  static final int CHUNKS = Integer.getInteger("cairn.bench.chunks", 100_000);
  static final int PER_FILE = 100;
  static final int NAMESPACES = Integer.getInteger("cairn.bench.namespaces", 1);

  @Test
  void figures(@TempDir Path dir) throws Exception {
    try (FsChunkStore store = FsChunkStore.open(dir.resolve("chunks")).toCompletionStage().toCompletableFuture().get();
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"))) {
      long t0 = System.nanoTime();
      List<BlockRef> live = storeChunks(store);
      long stored = System.nanoTime() - t0;
      for (int n = 0; n < NAMESPACES; n++) {
        await(journal.createNamespace("bench-" + n));
      }
      for (int f = 0; f * PER_FILE < live.size(); f++) {
        Blocklist blocks = new Blocklist(live.subList(f * PER_FILE, Math.min(live.size(), (f + 1) * PER_FILE)));
        await(journal.commit("bench-" + f % NAMESPACES, new Change.Put("/f" + f, blocks.size(), ContentHash.of(blocks), blocks, null,
            Expect.ANY), "bench"));
      }
      System.out.printf("gc bench: stored %,d chunks of 1 KiB in %,d ms; %,d named by %,d files in %,d namespaces%n",
          CHUNKS, stored / 1_000_000, live.size(), (live.size() + PER_FILE - 1) / PER_FILE, NAMESPACES);
      Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
      timed("dry run", () -> new GarbageCollector(journal, store, later, Duration.ofHours(24), 0, Duration.ofHours(1))
          .run(true, new GarbageCollector.Observer() {}));
      timed("run", () -> new GarbageCollector(journal, store, later, Duration.ofHours(24), 0, Duration.ofHours(1))
          .run(false, new GarbageCollector.Observer() {}));
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      long f0 = System.nanoTime();
      Fsck.Summary fsck = new Fsck(journal, store, false, quiet, quiet, Clock.systemUTC(), Duration.ofHours(1)).run();
      long fsckNanos = System.nanoTime() - f0;
      System.out.printf("gc bench: fsck checked %,d chunks in %,d ms: %,.0f chunks/s, %d problems%n", fsck.chunks(),
          fsckNanos / 1_000_000, fsck.chunks() * 1e9 / fsckNanos, fsck.problems());
    }
  }

  /** Runs one gc, timed on the wall clock (the run's own clock is fixed three days ahead). */
  private static void timed(String what, java.util.function.Supplier<GarbageCollector.Summary> run) {
    long t0 = System.nanoTime();
    GarbageCollector.Summary s = run.get();
    long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
    System.out.printf("gc bench: %s over %,d stored chunks: %,d live, %,d %s in %,d ms: %,.0f stored chunks/s, %,.0f swept/s%n",
        what, s.storedChunks(), s.markedChunks(), s.sweptChunks(), s.dryRun() ? "would go" : "deleted", ms,
        s.storedChunks() * 1000.0 / ms, s.sweptChunks() * 1000.0 / ms);
  }

  /** Stores the chunks 64 at a time; returns those every other one, to be named by files. */
  private static List<BlockRef> storeChunks(FsChunkStore store) throws Exception {
    List<BlockRef> live = new ArrayList<>();
    List<Future<Boolean>> window = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      byte[] data = ByteBuffer.allocate(1024).putLong(i).putLong(0x5eedL).array();
      ChunkHash h = ChunkHash.sha256(data);
      window.add(store.put(h, Buffer.buffer(data)));
      if (i % 2 == 0) {
        live.add(new BlockRef(h, data.length));
      }
      if (window.size() == 64) {
        for (Future<Boolean> f : window) {
          await(f);
        }
        window.clear();
      }
    }
    for (Future<Boolean> f : window) {
      await(f);
    }
    return live;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
