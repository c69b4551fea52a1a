package io.cairn.server;

import io.cairn.server.admin.LastRun;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * The configured storage opened without a server, for the maintenance commands: {@code cairn
 * fsck} reads only, {@code cairn gc} reads the journal, records its deletions there and deletes
 * chunks, {@code cairn backup} copies the local files.
 */
public final class OfflineStorage {
  private OfflineStorage() {}

  /**
   * The configured journal and chunk store opened read-only, for {@code cairn fsck}: nothing is
   * created (not even the data directory), migrated or locked, so it may run beside a server.
   */
  public static FsckCommand.Storage openReadOnly(ServerConfig config) {
    return openOffline(config, false);
  }

  /**
   * For {@code cairn gc}: the chunk store to delete from, then the journal, which gc reads and
   * records its batches of deletions in (ADR 0015). On local disk this fails (LOCKED) while a
   * server has the chunk directory open, before the journal is opened.
   */
  public static FsckCommand.Storage openForSweep(ServerConfig config) {
    return openOffline(config, true);
  }

  /**
   * For {@code cairn fsck --repair}: the journal to record damage in, the chunk store opened for
   * writing, which on local disk drops the unfinished chunk files an interrupted write left in
   * {@code tmp/} (counted in {@link FsckCommand.Storage#droppedTempFiles}) and fails (LOCKED) while
   * a server has the chunk directory open. S3 keeps no unfinished objects: a chunk is one PUT.
   */
  public static FsckCommand.Storage openForRepair(ServerConfig config) {
    java.nio.file.Path local = localChunkDirectory(config);
    long[] leftovers = {0};
    FsckCommand.Storage storage = open(config, true, true, false, () -> leftovers[0] = local == null ? 0 : tempFiles(local));
    return new FsckCommand.Storage() {
      @Override
      public Journal journal() {
        return storage.journal();
      }

      @Override
      public ChunkStore chunks() {
        return storage.chunks();
      }

      @Override
      public long droppedTempFiles() {
        return leftovers[0];
      }

      @Override
      public void close() {
        storage.close();
      }
    };
  }

  /**
   * Records {@code run} under {@code key} in the configured journal, opened for writing for this
   * one value and closed again: the one write of a read-only {@code cairn fsck}, so that every
   * node's status page shows its last run. A journal that cannot be opened or written is said on
   * {@code err}, and changes nothing else.
   */
  public static void record(ServerConfig config, String key, LastRun run, java.io.PrintStream err) {
    Vertx vertx = Vertx.vertx();
    try {
      Journal journal = CairnServer.join(Backends.journal(vertx, config.journalUri(), Clock.systemUTC()),
          "journal " + config.journalUri());
      try {
        run.record(journal, key);
      } finally {
        journal.close();
      }
    } catch (RuntimeException e) {
      err.println("cairn: could not record the run for the status page: " + e.getMessage());
    } finally {
      vertx.close();
    }
  }

  /** The regular files in a local chunk store's tmp/ (FsLayout): unfinished chunk writes. */
  private static long tempFiles(java.nio.file.Path chunks) {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(chunks.resolve("tmp"))) {
      return files.filter(java.nio.file.Files::isRegularFile).count();
    } catch (java.io.IOException e) {
      return 0; // no tmp/ yet: nothing was ever written
    }
  }

  /**
   * The local directory of a {@code file:} chunk store, for {@code cairn backup}; null when the
   * chunks are elsewhere (S3).
   */
  public static java.nio.file.Path localChunkDirectory(ServerConfig config) {
    return Backends.localDirectory(config.chunkStoreUri());
  }

  private static FsckCommand.Storage openOffline(ServerConfig config, boolean deleting) {
    return open(config, deleting, deleting, deleting, () -> {});
  }

  /**
   * {@code chunksFirst}: the chunk store opens before the journal (gc: on local disk a running
   * server's lock refuses it before the journal is opened writable); otherwise the journal opens
   * first and {@code beforeChunks} runs between the two (fsck --repair counts tmp/ first).
   */
  private static FsckCommand.Storage open(ServerConfig config, boolean writeJournal, boolean writeChunks,
      boolean chunksFirst, Runnable beforeChunks) {
    Vertx vertx = Vertx.vertx();
    Journal journal = null;
    ChunkStore chunks = null;
    try {
      Clock clock = Clock.systemUTC();
      if (chunksFirst) {
        chunks = openChunks(vertx, config, writeChunks);
      }
      Journal j = journal = CairnServer.join(writeJournal ? Backends.journal(vertx, config.journalUri(), clock)
          : Backends.readOnlyJournal(vertx, config.journalUri(), clock), "journal " + config.journalUri());
      if (!chunksFirst) {
        beforeChunks.run();
        chunks = openChunks(vertx, config, writeChunks);
      }
      ChunkStore c = chunks;
      return new FsckCommand.Storage() {
        @Override
        public Journal journal() {
          return j;
        }

        @Override
        public ChunkStore chunks() {
          return c;
        }

        @Override
        public void close() {
          c.close();
          j.close();
          vertx.close();
        }
      };
    } catch (RuntimeException e) {
      if (journal != null) {
        journal.close();
      }
      if (chunks != null) {
        chunks.close();
      }
      vertx.close();
      throw e;
    }
  }

  private static ChunkStore openChunks(Vertx vertx, ServerConfig config, boolean write) {
    return CairnServer.join(write ? Backends.chunkStore(vertx, config.chunkStoreUri())
        : Backends.readOnlyChunkStore(vertx, config.chunkStoreUri()), "chunk store " + config.chunkStoreUri());
  }
}
