package io.cairn.cluster.cache;

import io.cairn.core.ChunkHash;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.NamespacedPath;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.storage.TrashItem;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A journal that answers {@link #entry} and {@link #children} from memory when it safely can, and
 * passes everything else through to the journal it wraps.
 *
 * <p>Freshness is checked, not hoped for: every cached read first asks the journal for the
 * namespace's newest jid (one primary-key lookup). When commits have landed since the cache was
 * last brought up to date, whichever node made them, the cache reads those journal rows and drops
 * exactly what they touched before answering. A read that starts after a commit returned to its
 * writer therefore never sees older state, on any node (design invariant 6), and no node depends
 * on messages from the others arriving in time. Commits made through this instance also drop
 * what they touched at once.
 *
 * <p>What this saves is the listing and entry queries; what it costs is the jid lookup. The
 * figures are in docs/adr/0005-metadata-near-cache.md. Dead properties are not cached: a PROPPATCH
 * writes no journal row, so another node could not see that it happened.
 */
public final class CachingJournal implements Journal, CacheStats {
  /** Rows read per catch-up; a namespace further behind than this starts over empty. */
  static final int CATCH_UP_ROWS = 256;

  private final Journal journal;
  private final int capacity;
  private final Map<String, NamespaceCache> namespaces = new ConcurrentHashMap<>();
  private final Runnable onHit;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();

  /**
   * @param journal the journal every node shares
   * @param capacity the most values (entries plus listing pages) kept per namespace; beyond it the
   *     namespace's cache starts over
   */
  public CachingJournal(Journal journal, int capacity) {
    this(journal, capacity, () -> {});
  }

  /**
   * As {@link #CachingJournal(Journal, int)}, calling {@code onHit} for every read answered from
   * memory (a metrics counter; misses are seen by the journal below).
   */
  public CachingJournal(Journal journal, int capacity, Runnable onHit) {
    this.onHit = Objects.requireNonNull(onHit, "onHit");
    this.journal = Objects.requireNonNull(journal, "journal");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public Future<String> pathOf(String ns, long fileId) {
    return journal.pathOf(ns, fileId);
  }

  @Override
  public Future<Entry> entry(String ns, String path) {
    if (!cacheable(ns, path)) {
      return journal.entry(ns, path);
    }
    return current(ns)
        .compose(
            fresh -> {
              Optional<Entry> cached = fresh.cache.entry(fresh.jid, path);
              if (cached != null) {
                hits.increment();
                onHit.run();
                return Future.succeededFuture(cached.orElse(null));
              }
              misses.increment();
              return journal
                  .entry(ns, path)
                  .onSuccess(e -> fresh.cache.putEntry(fresh.jid, path, e));
            });
  }

  @Override
  public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
    return journal.entriesByPath(ns, afterPath, limit); // a rare full walk: not worth caching
  }

  @Override
  public Future<List<Entry>> children(String ns, String path, String after, int limit) {
    return page(ns, path, limit, () -> journal.children(ns, path, after, limit),
        fresh -> fresh.cache.listing(fresh.jid, path, after, limit),
        (fresh, page) -> fresh.cache.putListing(fresh.jid, path, after, limit, page));
  }

  /**
   * A page of whole entries cached by {@link #children} answers a listing as well (each child
   * {@link Entry#listed}); a page this reads is cached apart, as {@link ListedEntry}s, and never
   * answers {@link #children}: the cache holds no blocklist it did not read.
   */
  @Override
  public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
    return page(ns, path, limit, () -> journal.listing(ns, path, after, limit),
        fresh -> fresh.cache.listedPage(fresh.jid, path, after, limit),
        (fresh, page) -> fresh.cache.putListedPage(fresh.jid, path, after, limit, page));
  }

  /**
   * A page of a folder's children from the cache when it holds it ({@code cached} not null),
   * else {@code read} from the journal and {@code store}d, unless the folder is not cached at all.
   */
  private <T> Future<List<T>> page(String ns, String path, int limit,
      Supplier<Future<List<T>>> read, Function<Fresh, List<T>> cached,
      BiConsumer<Fresh, List<T>> store) {
    if (!cacheable(ns, path) || limit < 1) {
      return read.get();
    }
    return current(ns)
        .compose(
            fresh -> {
              List<T> hit = cached.apply(fresh);
              if (hit != null) {
                hits.increment();
                onHit.run();
                return Future.succeededFuture(hit);
              }
              misses.increment();
              return read.get().map(List::copyOf).onSuccess(page -> store.accept(fresh, page));
            });
  }

  @Override
  public Future<JournalRow> commit(String ns, Change change, String author) {
    return journal
        .commit(ns, change, author)
        .onSuccess(
            row -> {
              NamespaceCache cache = namespaces.get(ns);
              if (cache != null) {
                invalidations.add(cache.invalidate(row));
              }
            });
  }

  /** Invalid arguments go straight through, to fail the journal's way. */
  private static boolean cacheable(String ns, String path) {
    return ns != null && path != null && TreePaths.isValid(path);
  }

  /** A cache brought up to the newest jid, and that jid. */
  private record Fresh(NamespaceCache cache, long jid) {}

  private Future<Fresh> current(String ns) {
    return journal
        .namespace(ns)
        .compose(
            info -> {
              long jid = info.lastJid();
              NamespaceCache cache = namespaces.computeIfAbsent(ns, k -> new NamespaceCache(jid, capacity));
              long through = cache.validThrough();
              if (through >= jid) {
                return Future.succeededFuture(new Fresh(cache, jid > through ? jid : through));
              }
              return journal
                  .changes(ns, through, CATCH_UP_ROWS)
                  .map(
                      rows -> {
                        long last = rows.isEmpty() ? jid : rows.get(rows.size() - 1).jid();
                        if (rows.size() == CATCH_UP_ROWS && last < jid) {
                          invalidations.add(cache.reset(jid));
                        } else {
                          invalidations.add(cache.advance(rows, Math.max(last, jid)));
                        }
                        return new Fresh(cache, cache.validThrough());
                      });
            });
  }

  @Override
  public long hits() {
    return hits.sum();
  }

  @Override
  public long misses() {
    return misses.sum();
  }

  @Override
  public long invalidations() {
    return invalidations.sum();
  }

  @Override
  public Future<Void> createNamespace(String ns) {
    return journal.createNamespace(ns);
  }

  @Override
  public Future<List<String>> namespaces(String after, int limit) {
    return journal.namespaces(after, limit); // a rare full walk: not worth caching
  }

  @Override
  public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
    return journal.namespaceInfos(after, limit); // a rare full walk: not worth caching
  }

  @Override
  public Future<NamespaceInfo> namespace(String ns) {
    return journal.namespace(ns);
  }

  @Override
  public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
    return journal.changes(ns, afterJid, limit);
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, int limit) {
    return journal.history(ns, path, limit);
  }

  @Override
  public Future<Map<PropertyName, String>> properties(String ns, String path) {
    return journal.properties(ns, path);
  }

  @Override
  public Future<Map<String, Map<PropertyName, String>>> properties(
      String ns, Collection<String> paths, String hidden) {
    return journal.properties(ns, paths, hidden);
  }

  @Override
  public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
    return journal.patchProperties(ns, path, changes);
  }

  /** Not cached: a start-up scan reads each page once. */
  @Override
  public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
    return journal.nonAsciiPaths(after, limit);
  }

  @Override
  public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
    return journal.markDamaged(problems, at);
  }

  @Override
  public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
    return journal.clearDamaged(hashes);
  }

  @Override
  public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    return journal.damaged(hashes);
  }

  @Override
  public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
    return journal.damagedChunks(after, limit);
  }

  @Override
  public Future<String> maintenanceValue(String key) {
    return journal.maintenanceValue(key);
  }

  @Override
  public Future<Void> setMaintenanceValue(String key, String value) {
    return journal.setMaintenanceValue(key, value);
  }

  @Override
  public io.cairn.storage.ChunkDeletions chunkDeletions() {
    return journal.chunkDeletions();
  }

  @Override
  public Future<Boolean> maintenanceDone(String step) {
    return journal.maintenanceDone(step);
  }

  @Override
  public Future<Void> recordMaintenanceDone(String step) {
    return journal.recordMaintenanceDone(step);
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
    return journal.history(ns, path, beforeJid, limit);
  }

  @Override
  public Future<List<TrashItem>> trash(String ns, String under, int limit) {
    return journal.trash(ns, under, limit);
  }

  @Override
  public Future<List<Entry>> trashed(String ns, long jid, String path) {
    return journal.trashed(ns, jid, path);
  }

  @Override
  public Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes) {
    return journal.referenced(namespaces, hashes);
  }

  @Override
  public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    return journal.recordUpload(user, hashes, at);
  }

  @Override
  public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    return journal.expire(ns, jids, at);
  }

  @Override
  public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    return journal.expired(ns, jids);
  }

  @Override
  public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
    return journal.authors(ns, jids); // a commit's author never changes: nothing to invalidate, nothing cached yet
  }

  @Override
  public Future<NamespaceUsage> usage(String ns) {
    return journal.usage(ns);
  }

  @Override
  public Future<Map<String, Long>> namespaceSettings(String ns) {
    return journal.namespaceSettings(ns);
  }

  @Override
  public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    return journal.setNamespaceSettings(ns, settings);
  }

  @Override
  public Future<Set<ChunkHash>> uploadedSince(String user, Collection<ChunkHash> hashes, Instant since) {
    return journal.uploadedSince(user, hashes, since);
  }

  @Override
  public void close() {
    journal.close();
  }
}
