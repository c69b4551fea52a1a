package io.cairn.storage.metered;

import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Entry;
import io.cairn.storage.ChunkDeletions;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.NamespacedPath;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.storage.TrashItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Any {@link Journal} with metrics:
 *
 * <ul>
 *   <li>{@code cairn_journal_commit_duration_seconds{kind,outcome}}: a histogram of {@link
 *       #commit} calls by change kind (put, mkdir, delete, move, copy); its {@code _count} counts
 *       commits by kind;
 *   <li>{@code cairn_journal_operation_duration_seconds{op,outcome}}: every other call (entry,
 * children, properties, patch_properties, namespace, create_namespace, changes, history,
 *       history_page, trash, trashed, referenced, record_upload, uploaded_since);
 *   <li>{@code cairn_journal_written_bytes_total}: the sizes of the files committed by put, the
 *       logical bytes written (set against new chunk bytes, the dedup ratio);
 *   <li>the {@code metadata} {@link CacheMeters}: every entry, children and properties lookup that
 *       reaches the journal is a cache miss.
 * </ul>
 *
 * Behaviour is the wrapped journal's, unchanged.
 */
public final class MeteredJournal implements Journal {
  static final String COMMIT = "cairn.journal.commit.duration";
  static final String OPERATION = "cairn.journal.operation.duration";
  static final String WRITTEN = "cairn.journal.written.bytes";

  private final Journal journal;
  private final MeterRegistry registry;
  private final Counter written;
  private final CacheMeters cache;

  public MeteredJournal(Journal journal, MeterRegistry registry) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.written =
        Counter.builder(WRITTEN)
            .baseUnit("bytes")
            .description("Logical bytes of files committed (sizes of put changes)")
            .register(registry);
    this.cache = CacheMeters.metadata(registry);
    for (String kind : List.of("put", "mkdir", "delete", "move", "copy")) {
      timer(COMMIT, "kind", kind, Outcome.OK);
    }
  }

  /** One timer series; its meter is looked up once, not built again on every call. */
  private record Series(String name, String labelName, String label, String outcome) {}

  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  private Timer timer(String name, String labelName, String label, String outcome) {
    return timers.computeIfAbsent(new Series(name, labelName, label, outcome), s -> LatencyBuckets.storage(Timer.builder(name)
        .description(name.equals(COMMIT) ? "Journal commits by change kind" : "Journal calls other than commit")
        .tags(labelName, label, "outcome", outcome))
        .register(registry));
  }

  private <T> Future<T> timed(String name, String labelName, String label, long start, Future<T> call) {
    return call.andThen(
        ar ->
            timer(name, labelName, label, Outcome.of(ar.cause()))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  private <T> Future<T> op(String op, long start, Future<T> call) {
    return timed(OPERATION, "op", op, start, call);
  }

  private <T> Future<T> lookup(String op, long start, Future<T> call) {
    cache.miss();
    return op(op, start, call);
  }

  static String kind(Change change) {
    return switch (change) {
      case Change.Put p -> "put";
      case Change.Mkdir m -> "mkdir";
      case Change.Delete d -> "delete";
      case Change.Move m -> "move";
      case Change.Copy c -> "copy";
    };
  }

  @Override
  public Future<JournalRow> commit(String ns, Change change, String author) {
    long start = System.nanoTime();
    return timed(COMMIT, "kind", kind(change).toLowerCase(Locale.ROOT), start, journal.commit(ns, change, author))
        .andThen(
            ar -> {
              if (ar.succeeded() && change instanceof Change.Put put) {
                written.increment(put.size());
              }
            });
  }

  @Override
  public Future<Void> createNamespace(String ns) {
    long start = System.nanoTime();
    return op("create_namespace", start, journal.createNamespace(ns));
  }

  @Override
  public Future<List<String>> namespaces(String after, int limit) {
    long start = System.nanoTime();
    return op("namespaces", start, journal.namespaces(after, limit));
  }

  @Override
  public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
    long start = System.nanoTime();
    return op("namespace_infos", start, journal.namespaceInfos(after, limit));
  }

  @Override
  public Future<NamespaceInfo> namespace(String ns) {
    long start = System.nanoTime();
    return op("namespace", start, journal.namespace(ns));
  }

  @Override
  public Future<Entry> entry(String ns, String path) {
    long start = System.nanoTime();
    return lookup("entry", start, journal.entry(ns, path));
  }

  @Override
  public Future<String> pathOf(String ns, long fileId) {
    long start = System.nanoTime();
    return lookup("path_of", start, journal.pathOf(ns, fileId));
  }

  @Override
  public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
    long start = System.nanoTime();
    return op("entries_by_path", start, journal.entriesByPath(ns, afterPath, limit));
  }

  @Override
  public Future<List<Entry>> children(String ns, String path, String after, int limit) {
    long start = System.nanoTime();
    return lookup("children", start, journal.children(ns, path, after, limit));
  }

  @Override
  public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
    long start = System.nanoTime();
    return lookup("listing", start, journal.listing(ns, path, after, limit));
  }

  @Override
  public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
    long start = System.nanoTime();
    return op("changes", start, journal.changes(ns, afterJid, limit));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, int limit) {
    long start = System.nanoTime();
    return op("history", start, journal.history(ns, path, limit));
  }

  @Override
  public Future<Map<String, Map<PropertyName, String>>> properties(
      String ns, Collection<String> paths, String hidden) {
    long start = System.nanoTime();
    return lookup("properties_of", start, journal.properties(ns, paths, hidden));
  }

  @Override
  public Future<Map<PropertyName, String>> properties(String ns, String path) {
    long start = System.nanoTime();
    return lookup("properties", start, journal.properties(ns, path));
  }

  @Override
  public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
    long start = System.nanoTime();
    return op("patch_properties", start, journal.patchProperties(ns, path, changes));
  }

  @Override
  public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
    long start = System.nanoTime();
    return op("non_ascii_paths", start, journal.nonAsciiPaths(after, limit));
  }

  @Override
  public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
    long start = System.nanoTime();
    return op("mark_damaged", start, journal.markDamaged(problems, at));
  }

  @Override
  public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
    long start = System.nanoTime();
    return op("clear_damaged", start, journal.clearDamaged(hashes));
  }

  @Override
  public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    long start = System.nanoTime();
    return op("damaged", start, journal.damaged(hashes));
  }

  @Override
  public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
    long start = System.nanoTime();
    return op("damaged_chunks", start, journal.damagedChunks(after, limit));
  }

  @Override
  public Future<String> maintenanceValue(String key) {
    long start = System.nanoTime();
    return op("maintenance_value", start, journal.maintenanceValue(key));
  }

  @Override
  public Future<Void> setMaintenanceValue(String key, String value) {
    long start = System.nanoTime();
    return op("set_maintenance_value", start, journal.setMaintenanceValue(key, value));
  }

  @Override
  public ChunkDeletions chunkDeletions() {
    return journal.chunkDeletions();
  }

  @Override
  public Future<Boolean> maintenanceDone(String step) {
    long start = System.nanoTime();
    return op("maintenance_done", start, journal.maintenanceDone(step));
  }

  @Override
  public Future<Void> recordMaintenanceDone(String step) {
    long start = System.nanoTime();
    return op("record_maintenance_done", start, journal.recordMaintenanceDone(step));
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
    long start = System.nanoTime();
    return op("history_page", start, journal.history(ns, path, beforeJid, limit));
  }

  @Override
  public Future<List<TrashItem>> trash(String ns, String under, int limit) {
    long start = System.nanoTime();
    return op("trash", start, journal.trash(ns, under, limit));
  }

  @Override
  public Future<List<Entry>> trashed(String ns, long jid, String path) {
    long start = System.nanoTime();
    return op("trashed", start, journal.trashed(ns, jid, path));
  }

  @Override
  public Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes) {
    long start = System.nanoTime();
    return op("referenced", start, journal.referenced(namespaces, hashes));
  }

  @Override
  public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    long start = System.nanoTime();
    return op("record_upload", start, journal.recordUpload(user, hashes, at));
  }

  @Override
  public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    long start = System.nanoTime();
    return op("expire", start, journal.expire(ns, jids, at));
  }

  @Override
  public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    long start = System.nanoTime();
    return op("expired", start, journal.expired(ns, jids));
  }

  @Override
  public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
    long start = System.nanoTime();
    return op("authors", start, journal.authors(ns, jids));
  }

  @Override
  public Future<NamespaceUsage> usage(String ns) {
    long start = System.nanoTime();
    return op("usage", start, journal.usage(ns));
  }

  @Override
  public Future<Map<String, Long>> namespaceSettings(String ns) {
    long start = System.nanoTime();
    return op("namespace_settings", start, journal.namespaceSettings(ns));
  }

  @Override
  public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    long start = System.nanoTime();
    return op("set_namespace_settings", start, journal.setNamespaceSettings(ns, settings));
  }

  @Override
  public Future<Set<ChunkHash>> uploadedSince(String user, Collection<ChunkHash> hashes, Instant since) {
    long start = System.nanoTime();
    return op("uploaded_since", start, journal.uploadedSince(user, hashes, since));
  }

  @Override
  public void close() {
    journal.close();
  }
}
