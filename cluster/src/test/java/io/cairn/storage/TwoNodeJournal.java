package io.cairn.storage;

import io.cairn.cluster.cache.CachingJournal;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Two nodes' caching journals over one shared database, seen as one journal: each call goes to a
 * node picked at random, so the model test that drives it reads on one node right after writing on
 * the other, thousands of times, and checks every answer.
 */
final class TwoNodeJournal implements Journal {
  private final CachingJournal[] nodes;
  private final Random random = new Random(7);

  TwoNodeJournal(CachingJournal a, CachingJournal b) {
    this.nodes = new CachingJournal[] {a, b};
  }

  CachingJournal node(int i) {
    return nodes[i];
  }

  private Journal any() {
    return nodes[random.nextInt(2)];
  }

  @Override
  public Future<Void> createNamespace(String ns) {
    return any().createNamespace(ns);
  }

  @Override
  public Future<List<String>> namespaces(String after, int limit) {
    return any().namespaces(after, limit);
  }

  @Override
  public Future<List<NamespaceInfo>> namespaceInfos(String after, int limit) {
    return any().namespaceInfos(after, limit);
  }

  @Override
  public Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit) {
    return any().entriesByPath(ns, afterPath, limit);
  }

  @Override
  public Future<NamespaceInfo> namespace(String ns) {
    return any().namespace(ns);
  }

  @Override
  public Future<JournalRow> commit(String ns, Change change, String author) {
    return any().commit(ns, change, author);
  }

  @Override
  public Future<Entry> entry(String ns, String path) {
    return any().entry(ns, path);
  }

  @Override
  public Future<String> pathOf(String ns, long fileId) {
    return any().pathOf(ns, fileId);
  }

  @Override
  public Future<List<Entry>> children(String ns, String path, String after, int limit) {
    return any().children(ns, path, after, limit);
  }

  @Override
  public Future<List<ListedEntry>> listing(String ns, String path, String after, int limit) {
    return any().listing(ns, path, after, limit);
  }

  @Override
  public Future<List<JournalRow>> changes(String ns, long afterJid, int limit) {
    return any().changes(ns, afterJid, limit);
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, int limit) {
    return any().history(ns, path, limit);
  }

  @Override
  public Future<Map<PropertyName, String>> properties(String ns, String path) {
    return any().properties(ns, path);
  }

  @Override
  public Future<Map<String, Map<PropertyName, String>>> properties(
      String ns, java.util.Collection<String> paths, String hidden) {
    return any().properties(ns, paths, hidden);
  }

  @Override
  public Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes) {
    return any().patchProperties(ns, path, changes);
  }

  @Override
  public Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit) {
    return any().nonAsciiPaths(after, limit);
  }

  @Override
  public Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at) {
    return any().markDamaged(problems, at);
  }

  @Override
  public Future<Void> clearDamaged(Collection<ChunkHash> hashes) {
    return any().clearDamaged(hashes);
  }

  @Override
  public Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes) {
    return any().damaged(hashes);
  }

  @Override
  public Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit) {
    return any().damagedChunks(after, limit);
  }

  @Override
  public Future<String> maintenanceValue(String key) {
    return any().maintenanceValue(key);
  }

  @Override
  public Future<Void> setMaintenanceValue(String key, String value) {
    return any().setMaintenanceValue(key, value);
  }

  @Override
  public io.cairn.storage.ChunkDeletions chunkDeletions() {
    return any().chunkDeletions();
  }

  @Override
  public Future<Boolean> maintenanceDone(String step) {
    return any().maintenanceDone(step);
  }

  @Override
  public Future<Void> recordMaintenanceDone(String step) {
    return any().recordMaintenanceDone(step);
  }

  @Override
  public Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit) {
    return any().history(ns, path, beforeJid, limit);
  }

  @Override
  public Future<List<TrashItem>> trash(String ns, String under, int limit) {
    return any().trash(ns, under, limit);
  }

  @Override
  public Future<List<Entry>> trashed(String ns, long jid, String path) {
    return any().trashed(ns, jid, path);
  }

  @Override
  public Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes) {
    return any().referenced(namespaces, hashes);
  }

  @Override
  public Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at) {
    return any().recordUpload(user, hashes, at);
  }

  @Override
  public Future<Void> expire(String ns, Collection<Long> jids, Instant at) {
    return any().expire(ns, jids, at);
  }

  @Override
  public Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids) {
    return any().expired(ns, jids);
  }

  @Override
  public Future<Map<Long, String>> authors(String ns, Collection<Long> jids) {
    return any().authors(ns, jids);
  }

  @Override
  public Future<NamespaceUsage> usage(String ns) {
    return any().usage(ns);
  }

  @Override
  public Future<Map<String, Long>> namespaceSettings(String ns) {
    return any().namespaceSettings(ns);
  }

  @Override
  public Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings) {
    return any().setNamespaceSettings(ns, settings);
  }

  @Override
  public Future<Set<ChunkHash>> uploadedSince(String user, Collection<ChunkHash> hashes, Instant since) {
    return any().uploadedSince(user, hashes, since);
  }

  @Override
  public void close() {
    nodes[0].close();
    nodes[1].close();
  }
}
