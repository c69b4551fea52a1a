package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Server File Journal: an append-only log of every change to every namespace, and the current
 * tree those changes produce, kept in one transaction (design invariants 1 and 4).
 *
 * <p>Every method returns at once and completes its future later; none blocks the caller's event
 * loop. Failures are {@link CairnException}s: NOT_FOUND for a missing namespace (every method) or
 * path, and the kinds each method names. Paths follow {@link TreePaths}; an invalid one fails with
 * CONFLICT. The root {@code "/"} of every namespace always exists as a directory of version 0 and
 * can be neither deleted, moved, nor overwritten (CONFLICT).
 */
public interface Journal extends AutoCloseable {

  /** Creates an empty namespace (only its root). ALREADY_EXISTS when the name is taken. */
  Future<Void> createNamespace(String ns);

  /** The namespace's counters. NOT_FOUND when there is no such namespace. */
  Future<NamespaceInfo> namespace(String ns);

  /**
   * Up to {@code limit} namespace names strictly after {@code after} (null: from the first),
   * ordered by Unicode code point. Fewer than {@code limit} means the listing is complete. For
   * tools that visit every namespace (fsck, garbage collection) without holding all names at once.
   */
  Future<List<String>> namespaces(String after, int limit);

  /**
   * As {@link #namespaces}, with each namespace's counters ({@link NamespaceInfo}, as {@link
   * #namespace} reads them): for a tool that visits every namespace and must learn which changed
   * since it last looked without a read per namespace (garbage collection's re-read after each
   * announcement, ADR 0015).
   */
  Future<List<NamespaceInfo>> namespaceInfos(String after, int limit);

  /**
   * Commits one change: allocates the next jid of the namespace, appends the journal row and
   * updates the current tree in one transaction, so that a reader sees all of it or none. When the
   * future succeeds the commit is durable. Concurrent commits to one namespace are serialized: jid
   * order is commit order, with no gaps. A failed commit changes nothing and consumes no jid.
   *
   * @param author the user making the change, recorded in the row; may be null
   * @return the row written
   */
  Future<JournalRow> commit(String ns, Change change, String author);

  /** The live entry at {@code path}, or null when nothing lives there. */
  Future<Entry> entry(String ns, String path);

  /**
   * Up to {@code limit} children of the directory at {@code path}, ordered by name (by Unicode code
   * point), strictly after the name {@code after} (null: from the first). Fewer than {@code limit}
   * means the listing is complete. NOT_FOUND when {@code path} does not exist, CONFLICT when it is a
   * file.
   */
  Future<List<Entry>> children(String ns, String path, String after, int limit);

  /**
   * The page {@link #children} reads, without blocklists: for a listing that shows what entries
   * are (PROPFIND, a folder's page), not what they hold. The journal may answer it without reading
   * any blocklist (PostgreSQL from the index by parent alone, ADR 0017). Same order, paging and
   * failures as {@link #children}: NOT_FOUND when {@code path} does not exist, CONFLICT when it is
   * a file or an invalid path.
   */
  Future<List<ListedEntry>> listing(String ns, String path, String after, int limit);

  /**
   * Up to {@code limit} live entries of the namespace, whatever their parent, with path strictly
   * after {@code afterPath} (null: from the first), ordered by path in Unicode code point order;
   * the root is not among them. Fewer than {@code limit} means the listing is complete. For tools
   * that must see every stored entry, also one a broken tree would hide from {@link #children}
   * (fsck). NOT_FOUND for a missing namespace.
   */
  Future<List<Entry>> entriesByPath(String ns, String afterPath, int limit);

  /**
   * The path of the live entry with file id {@code fileId} ({@link Entry#fileId}) in {@code ns},
   * or null when no entry of the namespace has it (also for the root's id).
   */
  Future<String> pathOf(String ns, long fileId);

  /**
   * Up to {@code limit} rows with jid strictly greater than {@code afterJid}, ascending: every
   * change exactly once for a reader that passes the last jid it saw as the next cursor.
   */
  Future<List<JournalRow>> changes(String ns, long afterJid, int limit);

  /**
   * Up to {@code limit} rows that name {@code path} as their path or destination, newest first. The
   * path need not exist any more.
   */
  Future<List<JournalRow>> history(String ns, String path, int limit);

  /**
   * A page of the history of the file or folder now at {@code path}, newest first, following it
   * back through renames: up to {@code limit} rows with jid below {@code beforeJid} that name it
   * as path or destination, where "it" is the path it had at each row's jid. When the walk reaches
   * the MOVE that brought it to its path (itself moved, or one of its folders), that row is
   * included and the walk continues with the source path's rows before it. Rows of other files that
   * once lived at a path before it was moved there are not included. Pass the last jid of a page
   * as the next {@code beforeJid}; {@link Long#MAX_VALUE} (or 0 or less) for the newest page.
   * NOT_FOUND for a missing namespace, CONFLICT for an invalid path.
   */
  Future<List<JournalRow>> history(String ns, String path, long beforeJid, int limit);

  /**
   * Up to {@code limit} removed subtrees whose root is at or below the folder {@code under}
   * (recursively), newest removal first. Entries are recorded in the trash in the commit that
   * removes them: a {@link Change.Delete}, and a {@link Change.Move} or {@link Change.Copy} that
   * replaces its destination. NOT_FOUND for a missing namespace; the folder need not exist.
   */
  Future<List<TrashItem>> trash(String ns, String under, int limit);

  /**
   * The entries at and below {@code path} among those the commit {@code jid} removed, as they were
   * just before it, parents before children (ordered by path): the removed root itself, or a part
   * of it. Empty when that commit removed nothing at {@code path}. NOT_FOUND for a missing
   * namespace.
   */
  Future<List<Entry>> trashed(String ns, long jid, String path);

  /**
   * Which of {@code hashes} are named by a retained version (any PUT of the journal) of any of
   * {@code namespaces}: the chunks a reader of those namespaces may learn exist (design invariant
   * 7), and what garbage collection keeps. The index is kept in each commit's transaction.
   */
  Future<Set<ChunkHash>> referenced(Collection<String> namespaces, Collection<ChunkHash> hashes);

  /**
   * Records that {@code user} (null: an anonymous site) uploaded {@code hashes} at {@code at}, so
   * that they may name them in a commit before any version references them. A later upload of
   * the same chunk moves its time forward.
   */
  Future<Void> recordUpload(String user, Collection<ChunkHash> hashes, Instant at);

  /** Which of {@code hashes} {@code user} (null: anonymous) uploaded at or after {@code since}. */
  Future<Set<ChunkHash>> uploadedSince(String user, Collection<ChunkHash> hashes, Instant since);

  /**
   * Records that what commit {@code jid} of {@code ns} retained has expired at {@code at}
   * (retention, ADR 0014): for a PUT, that version's content; for a commit that put entries in
   * the trash, those entries. The rows stay; {@link #expired} tells which. A jid recorded before
   * keeps its first time; a jid of no commit is recorded all the same (it names nothing). Durable
   * when the future succeeds.
   */
  Future<Void> expire(String ns, Collection<Long> jids, Instant at);

  /**
   * Which of {@code jids} of {@code ns} {@link #expire} recorded, with the time each expired;
   * the others are absent. No check that the namespace exists.
   */
  Future<Map<Long, Instant>> expired(String ns, Collection<Long> jids);

  /**
   * Who made each of the commits {@code jids} of {@code ns} (an entry's {@link Entry#version}
   * names the commit that last wrote it): the author of its row, by jid. A jid of no commit, or
   * of a commit without an author, is absent. One read however many jids; no check that the
   * namespace exists.
   */
  Future<Map<Long, String>> authors(String ns, Collection<Long> jids);

  /**
   * What namespace {@code ns} holds: live, retained versions and trash, in logical bytes (see
   * {@link NamespaceUsage}). Reads every journal row of the namespace (about a second per million
   * rows): for reports and for quotas that count history, not for every request. NOT_FOUND for a
   * missing namespace.
   */
  Future<NamespaceUsage> usage(String ns);

  /**
   * The settings recorded for namespace {@code ns} by {@link #setNamespaceSettings}, each
   * overriding the server's configuration key of the same name for that namespace (say {@code
   * retention.keep.all.days} → 7); empty when none. NOT_FOUND for a missing namespace.
   */
  Future<Map<String, Long>> namespaceSettings(String ns);

  /**
   * Sets each of {@code settings} for namespace {@code ns} (a null value removes that key), in one
   * transaction; keys not named stay. The journal does not check keys or values: the caller does.
   * NOT_FOUND for a missing namespace, CONFLICT for an empty key.
   */
  Future<Void> setNamespaceSettings(String ns, Map<String, Long> settings);

  /** The dead properties of the entry at {@code path}. NOT_FOUND when the path does not exist. */
  Future<Map<PropertyName, String>> properties(String ns, String path);

  /**
   * The dead properties of each of {@code paths} in {@code ns} that has any, but those whose
   * namespace is {@code hidden} (null: none hidden), in one read (a listing's page answering an
   * allprop PROPFIND, which shows no property the server keeps for itself): paths with none, or
   * with no entry, are absent.
   */
  Future<Map<String, Map<PropertyName, String>>> properties(String ns, Collection<String> paths, String hidden);

  /**
   * Applies the changes in order, all or none (RFC 4918 §9.2): a later change to the same name
   * wins. NOT_FOUND when the path does not exist. No journal row is written.
   */
  Future<Void> patchProperties(String ns, String path, List<PropertyChange> changes);

  /**
   * Up to {@code limit} live paths of every namespace that hold a character outside US-ASCII,
   * ordered by namespace and then path (both by Unicode code point), strictly after {@code after}
   * (null: from the first). Fewer than {@code limit} means the scan is complete. It reads the
   * whole tree of every namespace: for start-up maintenance that concerns only non-ASCII names
   * (such as {@link NfcNames}), never for a request.
   */
  Future<List<NamespacedPath>> nonAsciiPaths(NamespacedPath after, int limit);

  /**
   * Whether the start-up maintenance step {@code step} (say {@code "nfc-names"}) was recorded done
   * in this journal's database by {@link #recordMaintenanceDone}; false for a step never seen.
   * Lets a step that scans every namespace run once per database instead of at every start.
   */
  Future<Boolean> maintenanceDone(String step);

  /**
   * Records that the start-up maintenance step {@code step} is done, durably, for every node that
   * shares this database. Recording a step twice is no error. CONFLICT for a null or empty step.
   */
  Future<Void> recordMaintenanceDone(String step);

  /**
   * Records each of {@code problems}' chunks as damaged (missing from the chunk store, or not
   * hashing to its name) with what was found, at {@code at}, for every node that shares this
   * database: from then on content naming one of them is refused with DAMAGED rather than served
   * short (ADR 0016). A chunk recorded before keeps its first record. Durable when the future
   * succeeds. CONFLICT for an empty problem.
   */
  Future<Void> markDamaged(Map<ChunkHash, String> problems, Instant at);

  /**
   * Forgets the damage recorded for {@code hashes} (a chunk restored from a backup and found sound
   * again); a chunk with no record is no error.
   */
  Future<Void> clearDamaged(Collection<ChunkHash> hashes);

  /** Which of {@code hashes} are recorded damaged, with their records; the others are absent. */
  Future<Map<ChunkHash, DamagedChunk>> damaged(Collection<ChunkHash> hashes);

  /**
   * Up to {@code limit} damaged chunks in ascending order of name, strictly after {@code after}
   * (null: from the first). Fewer than {@code limit} means the listing is complete.
   */
  Future<List<DamagedChunk>> damagedChunks(ChunkHash after, int limit);

  /**
   * The value last stored under {@code key} by {@link #setMaintenanceValue}, or null: small state
   * of background maintenance that must outlive a restart and be shared by every node of a cluster
   * (the scrub's position). CONFLICT for a null or empty key.
   */
  Future<String> maintenanceValue(String key);

  /**
   * Stores {@code value} under {@code key} (null removes it), durably, replacing what was there.
   * CONFLICT for a null or empty key.
   */
  Future<Void> setMaintenanceValue(String key, String value);

  /**
   * Garbage collection's record of the chunks it is deleting, in this journal's database (ADR
   * 0015): what an upload consults before it commits a version naming chunks it relied on.
   */
  ChunkDeletions chunkDeletions();

  /** Closes connections and threads; pending calls may fail with TRANSIENT. */
  @Override
  void close();
}
