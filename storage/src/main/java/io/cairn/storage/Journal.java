package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

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
   * Up to {@code limit} rows with jid strictly greater than {@code afterJid}, ascending: every
   * change exactly once for a reader that passes the last jid it saw as the next cursor.
   */
  Future<List<JournalRow>> changes(String ns, long afterJid, int limit);

  /**
   * Up to {@code limit} rows that name {@code path} as their path or destination, newest first. The
   * path need not exist any more.
   */
  Future<List<JournalRow>> history(String ns, String path, int limit);

  /** The dead properties of the entry at {@code path}. NOT_FOUND when the path does not exist. */
  Future<Map<PropertyName, String>> properties(String ns, String path);

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

  /** Closes connections and threads; pending calls may fail with TRANSIENT. */
  @Override
  void close();
}
