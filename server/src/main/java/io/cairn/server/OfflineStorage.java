package io.cairn.server;

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
   * The local directory of a {@code file:} chunk store, for {@code cairn backup}; null when the
   * chunks are elsewhere (S3).
   */
  public static java.nio.file.Path localChunkDirectory(ServerConfig config) {
    return Backends.localDirectory(config.chunkStoreUri());
  }

  private static FsckCommand.Storage openOffline(ServerConfig config, boolean deleting) {
    Vertx vertx = Vertx.vertx();
    Journal journal = null;
    ChunkStore chunks = null;
    try {
      Clock clock = Clock.systemUTC();
      ChunkStore c = chunks = CairnServer.join(deleting ? Backends.chunkStore(vertx, config.chunkStoreUri())
          : Backends.readOnlyChunkStore(vertx, config.chunkStoreUri()), "chunk store " + config.chunkStoreUri());
      Journal j = journal = CairnServer.join(deleting ? Backends.journal(vertx, config.journalUri(), clock)
          : Backends.readOnlyJournal(vertx, config.journalUri(), clock), "journal " + config.journalUri());
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

}
