package io.cairn.storage;

import io.cairn.core.ChunkHash;
import io.cairn.storage.sqlite.SqliteJournal;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal contract on SQLite with every call made from a virtual thread, where reads run on
 * the caller's thread instead of the reader pool.
 */
class SqliteJournalVirtualThreadContractTest extends JournalContractTest {
  @TempDir static Path dir;
  private static final AtomicInteger FILES = new AtomicInteger();
  private Path file;

  @Override
  protected Journal createJournal(Clock clock) {
    file = dir.resolve("db" + FILES.incrementAndGet()).resolve("journal.db");
    return new OnVirtualThreads(SqliteJournal.open(file, clock));
  }

  @Override
  protected Journal reopen(Clock clock) {
    return new OnVirtualThreads(SqliteJournal.open(file, clock));
  }

  /** Makes each call on a new virtual thread and hands back the future it returned there. */
  private record OnVirtualThreads(Journal journal) implements Journal {
    private static <T> Future<T> call(Supplier<Future<T>> call) {
      AtomicReference<Future<T>> out = new AtomicReference<>();
      Thread t = Thread.ofVirtual().start(() -> out.set(call.get()));
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return out.get();
    }

    @Override
    public Future<Void> createNamespace(String ns) {
      return call(() -> journal.createNamespace(ns));
    }

    @Override
    public Future<List<String>> namespaces(String after, int limit) {
      return call(() -> journal.namespaces(after, limit));
    }

    @Override
    public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
      return call(() -> journal.namespaceInfos(after, limit));
    }

    @Override
    public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
      return call(() -> journal.entriesByPath(ns, afterPath, limit));
    }

    @Override
    public Future<NamespaceInfo> namespace(String ns) {
      return call(() -> journal.namespace(ns));
    }

    @Override
    public Future<JournalRow> commit(String ns, Change change, String author) {
      return call(() -> journal.commit(ns, change, author));
    }

    @Override
    public Future<Entry> entry(String ns, String path) {
      return call(() -> journal.entry(ns, path));
    }

    @Override
    public Future<String> pathOf(String ns, long fileId) {
      return call(() -> journal.pathOf(ns, fileId));
    }

    @Override
    public Future<List<Entry>> children(String ns, String path, String after, int limit) {
      return call(() -> journal.children(ns, path, after, limit));
    }

    @Override
    public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
      return call(() -> journal.listing(ns, path, after, limit));
    }

    @Override
    public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
      return call(() -> journal.changes(ns, afterJid, limit));
    }

    @Override
    public Future<List<JournalRow>> history(String ns, String path, int limit) {
      return call(() -> journal.history(ns, path, limit));
    }

    @Override
    public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
      return call(() -> journal.nonAsciiPaths(after, limit));
    }

    @Override
    public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
      return call(() -> journal.markDamaged(problems, at));
    }

    @Override
    public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
      return call(() -> journal.clearDamaged(hashes));
    }

    @Override
    public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
      return call(() -> journal.damaged(hashes));
    }

    @Override
    public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
      return call(() -> journal.damagedChunks(after, limit));
    }

    @Override
    public Future<String> maintenanceValue(String key) {
      return call(() -> journal.maintenanceValue(key));
    }

    @Override
    public Future<Void> setMaintenanceValue(String key, String value) {
      return call(() -> journal.setMaintenanceValue(key, value));
    }

    @Override
    public ChunkDeletions chunkDeletions() {
      return journal.chunkDeletions();
    }

    @Override
    public Future<Boolean> maintenanceDone(String step) {
      return call(() -> journal.maintenanceDone(step));
    }

    @Override
    public Future<Void> recordMaintenanceDone(String step) {
      return call(() -> journal.recordMaintenanceDone(step));
    }

    @Override
    public Future<Map<PropertyName, String>> properties(String ns, String path) {
      return call(() -> journal.properties(ns, path));
    }

    @Override
    public Future<Map<String, Map<PropertyName, String>>> properties(
        String ns, java.util.Collection<String> paths, String hidden) {
      return call(() -> journal.properties(ns, paths, hidden));
    }

    @Override
    public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
      return call(() -> journal.patchProperties(ns, path, changes));
    }

    @Override
    public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
      return call(() -> journal.history(ns, path, beforeJid, limit));
    }

    @Override
    public Future<List<TrashItem>> trash(String ns, String under, int limit) {
      return call(() -> journal.trash(ns, under, limit));
    }

    @Override
    public Future<List<Entry>> trashed(String ns, long jid, String path) {
      return call(() -> journal.trashed(ns, jid, path));
    }

    @Override
    public Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes) {
      return call(() -> journal.referenced(namespaces, hashes));
    }

    @Override
    public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
      return call(() -> journal.recordUpload(user, hashes, at));
    }

    @Override
    public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
      return call(() -> journal.expire(ns, jids, at));
    }

    @Override
    public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
      return call(() -> journal.expired(ns, jids));
    }

    @Override
    public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
      return call(() -> journal.authors(ns, jids));
    }

      @Override
    public Future<NamespaceUsage> usage(String ns) {
      return call(() -> journal.usage(ns));
    }

  @Override
    public Future<Map<String, Long>> namespaceSettings(String ns) {
      return call(() -> journal.namespaceSettings(ns));
    }

    @Override
    public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
      return call(() -> journal.setNamespaceSettings(ns, settings));
    }

    @Override
    public Future<Set<ChunkHash>> uploadedSince(String user, Collection<ChunkHash> hashes, Instant since) {
      return call(() -> journal.uploadedSince(user, hashes, since));
    }

    @Override
    public void close() {
      journal.close();
    }
  }
}
