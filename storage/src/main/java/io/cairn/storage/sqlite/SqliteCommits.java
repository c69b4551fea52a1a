package io.cairn.storage.sqlite;

import static io.cairn.storage.sqlite.SqliteRows.ENTRIES_BY_PATH;
import static io.cairn.storage.sqlite.SqliteRows.inSubtree;
import static io.cairn.storage.sqlite.SqliteRows.subtreeArgs;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.PropertyChange;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Every write to the journal database, run by the writer thread inside its transaction: checks
 * the change against the current tree, then writes the journal row, the entries and the
 * namespace's counters. Throws {@link CairnException} for a change that does not apply, after
 * which the writer rolls back to the change's savepoint.
 */
final class SqliteCommits {
  private static final String ENTRY_BY_PATH =
      "SELECT " + SqliteRows.ENTRY_COLUMNS + " FROM entries WHERE ns = ? AND path = ?";
  private static final String ENTRY_AND_PARENT = "SELECT " + SqliteRows.ENTRY_COLUMNS + " FROM "
      + ENTRIES_BY_PATH + " WHERE ns = ? AND path IN (?, ?)";
  private static final String REBASED_PATH = "? || substr(path, length(?) + 1)";
  private static final String REBASED_PARENT =
      "CASE WHEN path = ? THEN ? ELSE ? || substr(parent, length(?) + 1) END";
  private static final String REBASED_NAME = "CASE WHEN path = ? THEN ? ELSE name END";

  private final SqliteConnection db;
  private final Clock clock;

  SqliteCommits(SqliteConnection db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  void createNamespace(String ns) throws SQLException {
    if (db.one("SELECT 1 FROM namespaces WHERE ns = ?", rs -> true, ns) != null) {
      throw CairnException.alreadyExists("namespace " + ns + " exists");
    }
    db.update("INSERT INTO namespaces (ns, last_jid, used_bytes, created_at, root_file_id) "
            + "VALUES (?, 0, 0, ?, ?)",
        ns, now().toEpochMilli(), allocateFileIds(1) + 1);
  }

  void patchProperties(String ns, String path, List<PropertyChange> changes)
      throws SQLException {
    requireNamespace(ns);
    if (!path.equals(TreePaths.ROOT) && load(ns, path) == null) {
      throw CairnException.notFound(path + " does not exist");
    }
    applyProperties(ns, path, changes);
  }

  private void applyProperties(String ns, String path, List<PropertyChange> changes) throws SQLException {
    for (PropertyChange c : changes) {
      if (c.isRemove()) {
        db.update(
            "DELETE FROM properties WHERE ns = ? AND path = ? AND pns = ? AND pname = ?",
            ns, path, c.name().namespace(), c.name().localName());
      } else {
        db.update(
            "INSERT INTO properties (ns, path, pns, pname, value) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (ns, path, pns, pname) DO UPDATE SET value = excluded.value",
            ns, path, c.name().namespace(), c.name().localName(), c.value());
      }
    }
  }

  JournalRow commit(String ns, Change change, String author) throws SQLException {
    long[] counters = requireNamespace(ns);
    long jid = counters[0] + 1;
    Instant at = now();
    Stamp stamp = new Stamp(jid, at, author);
    Applied a = switch (change) {
      case Change.Put p -> put(ns, p, jid, at);
      case Change.Mkdir m -> mkdir(ns, m.path(), jid, at);
      case Change.Delete d -> delete(ns, d, stamp);
      case Change.Move m -> transfer(ns, m.path(), m.to(), m.overwrite(), m.expect(), true,
          true, stamp);
      case Change.Copy c -> transfer(ns, c.path(), c.to(), c.overwrite(), Expect.ANY, false,
          c.recursive(), stamp);
    };
    JournalRow row = new JournalRow(ns, jid, a.kind, change.path(), a.dest, a.size,
        a.contentHash, a.blocklist, a.mtime, author, at);
    db.update(
        "INSERT INTO journal (" + SqliteRows.ROW_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ns, jid, row.kind().name(), row.path(), row.dest(), row.size(), row.contentHash(),
        SqliteRows.blob(row.blocklist()), SqliteRows.millis(row.mtime()), author,
        at.toEpochMilli());
    db.update("UPDATE namespaces SET last_jid = ?, used_bytes = ? WHERE ns = ?",
        jid, counters[1] + a.bytesDelta, ns);
    return row;
  }

  /** The commit being made: its jid, time and author, which the trash records too. */
  private record Stamp(long jid, Instant at, String author) {}

  /** What a change did, for its journal row and the namespace's byte count. */
  private record Applied(ChangeKind kind, String dest, long size, String contentHash,
      Blocklist blocklist, Instant mtime, long bytesDelta) {
    static Applied of(ChangeKind kind, String dest, long bytesDelta) {
      return new Applied(kind, dest, 0, null, Blocklist.EMPTY, null, bytesDelta);
    }
  }

  private Applied put(String ns, Change.Put p, long jid, Instant at) throws SQLException {
    String path = p.path();
    if (path.equals(TreePaths.ROOT)) {
      throw CairnException.conflict("the root cannot be overwritten");
    }
    SqliteChunkDeletions.requireKept(db, p, at); // on the writer, as announcements are (ADR 0015, case 8)
    Entry current = loadInDirectory(ns, path);
    if (current != null && current.isDirectory()) {
      throw CairnException.conflict(path + " is a directory");
    }
    expect(p.expect(), current, path);
    Instant mtime = p.mtime() == null ? at : p.mtime().truncatedTo(ChronoUnit.MILLIS);
    Blocklist blocklist = p.blocklist() == null ? Blocklist.EMPTY : p.blocklist();
    byte[] blob = SqliteRows.blob(blocklist);
    if (current == null) {
      db.update(
          "INSERT INTO entries (ns, path, parent, name, kind, size, mtime, content_hash, "
              + "blocklist, version, created, file_id, tree_version, tree_size) "
              + "VALUES (?, ?, ?, ?, 'FILE', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          ns, path, TreePaths.parent(path), TreePaths.name(path), p.size(),
          mtime.toEpochMilli(), p.contentHash(), blob, jid, at.toEpochMilli(),
          allocateFileIds(1) + 1, jid, p.size());
    } else {
      db.update(
          "UPDATE entries SET size = ?, mtime = ?, content_hash = ?, blocklist = ?, version = ?, "
              + "tree_version = ?, tree_size = ? WHERE ns = ? AND path = ?",
          p.size(), mtime.toEpochMilli(), p.contentHash(), blob, jid, jid, p.size(), ns, path);
    }
    for (var block : blocklist.blocks()) {
      db.update("INSERT OR IGNORE INTO chunk_refs (ns, hash) VALUES (?, ?)", ns, block.hash().hex());
    }
    applyProperties(ns, path, p.properties());
    long delta = p.size() - (current == null ? 0 : current.size());
    touchAncestors(ns, path, jid, delta);
    return new Applied(ChangeKind.PUT, null, p.size(), p.contentHash(), blocklist, mtime, delta);
  }

  private Applied mkdir(String ns, String path, long jid, Instant at) throws SQLException {
    if (path.equals(TreePaths.ROOT)) {
      throw CairnException.alreadyExists("the root exists");
    }
    if (loadInDirectory(ns, path) != null) {
      throw CairnException.alreadyExists(path + " exists");
    }
    db.update(
        "INSERT INTO entries (ns, path, parent, name, kind, size, mtime, content_hash, "
            + "blocklist, version, created, file_id, tree_version, tree_size) "
            + "VALUES (?, ?, ?, ?, 'DIRECTORY', 0, ?, NULL, NULL, ?, ?, ?, ?, 0)",
        ns, path, TreePaths.parent(path), TreePaths.name(path), at.toEpochMilli(), jid,
        at.toEpochMilli(), allocateFileIds(1) + 1, jid);
    touchAncestors(ns, path, jid, 0);
    return Applied.of(ChangeKind.MKDIR, null, 0);
  }

  private Applied delete(String ns, Change.Delete d, Stamp stamp) throws SQLException {
    String path = d.path();
    if (path.equals(TreePaths.ROOT)) {
      throw CairnException.conflict("the root cannot be deleted");
    }
    Entry current = load(ns, path);
    if (current == null) {
      throw CairnException.notFound(path + " does not exist");
    }
    expect(d.expect(), current, path);
    long freed = deleteSubtree(ns, current, stamp);
    touchAncestors(ns, path, stamp.jid(), -freed);
    return Applied.of(ChangeKind.DELETE, null, -freed);
  }

  /** Move or copy, which share every rule but the expectation and what stays behind. */
  private Applied transfer(String ns, String from, String to, boolean overwrite, Expect expect,
      boolean move, boolean recursive, Stamp stamp) throws SQLException {
    long jid = stamp.jid();
    Instant at = stamp.at();
    if (from.equals(TreePaths.ROOT)) {
      throw CairnException.conflict("the root cannot be moved or copied");
    }
    Entry source = load(ns, from);
    if (source == null) {
      throw CairnException.notFound(from + " does not exist");
    }
    expect(expect, source, from);
    if (TreePaths.isSameOrBelow(to, from) || TreePaths.isSameOrBelow(from, to)) {
      throw CairnException.conflict(from + " and " + to + " overlap");
    }
    Entry target = loadInDirectory(ns, to);
    if (target != null && !overwrite) {
      throw CairnException.preconditionFailed(to + " exists and overwrite is off");
    }
    long removed = target == null ? 0 : deleteSubtree(ns, target, stamp);
    String entries = recursive ? inSubtree("entries") : "ns = ? AND path = ?";
    String props = recursive ? inSubtree("properties") : "ns = ? AND path = ?";
    Object[] selected = recursive ? subtreeArgs(ns, from) : new Object[] {ns, from};
    long bytes =
        db.number("SELECT sum(size) FROM " + ENTRIES_BY_PATH + " WHERE " + entries, selected);
    Object[] rebase = {to, from, from, TreePaths.parent(to), to, from, from, TreePaths.name(to)};
    if (move) {
      // File ids and tree sizes travel with the entries; each moved entry is written by this
      // commit, so its version and tree version are the commit's.
      db.update("UPDATE " + ENTRIES_BY_PATH + " SET path = " + REBASED_PATH
              + ", parent = " + REBASED_PARENT + ", name = " + REBASED_NAME
              + ", version = ?, tree_version = ? WHERE " + entries,
          concat(rebase, concat(jid, concat(jid, selected))));
      db.update("UPDATE properties SET path = " + REBASED_PATH + " WHERE " + props,
          concat(new Object[] {to, from}, selected));
      touchAncestors(ns, from, jid, -bytes);
      touchAncestors(ns, to, jid, bytes - removed);
      return Applied.of(ChangeKind.MOVE, to, -removed);
    }
    // Every copied entry is a new file: ids base + 1 .. base + n, one per row. A directory
    // copied alone holds nothing, so its tree size is its size (0).
    long base = allocateFileIds(0);
    int copied = db.update("INSERT INTO entries (ns, path, parent, name, kind, size, mtime, "
            + "content_hash, blocklist, version, created, file_id, tree_version, tree_size) "
            + "SELECT ns, " + REBASED_PATH + ", " + REBASED_PARENT + ", " + REBASED_NAME
            + ", kind, size, mtime, content_hash, blocklist, ?, ?, "
            + "? + row_number() OVER (ORDER BY path), ?, " + (recursive ? "tree_size" : "size")
            + " FROM " + ENTRIES_BY_PATH + " WHERE " + entries,
        concat(rebase, concat(new Object[] {jid, at.toEpochMilli(), base, jid}, selected)));
    allocateFileIds(copied);
    db.update("INSERT INTO properties (ns, path, pns, pname, value) SELECT ns, " + REBASED_PATH
            + ", pns, pname, value FROM properties WHERE " + props,
        concat(new Object[] {to, from}, selected));
    touchAncestors(ns, to, jid, bytes - removed);
    return Applied.of(ChangeKind.COPY, to, bytes - removed);
  }

  /**
   * Moves the entries at and below {@code root} to the trash of the commit {@code stamp}, and
   * removes them and their properties; returns the bytes freed.
   */
  private long deleteSubtree(String ns, Entry root, Stamp stamp) throws SQLException {
    String path = root.path();
    Object[] args = subtreeArgs(ns, path);
    db.update("INSERT INTO trash_entries (ns, jid, path, kind, size, mtime, content_hash, "
            + "blocklist, version, created, file_id, tree_version, tree_size) SELECT ns, ?, path, "
            + "kind, size, mtime, content_hash, blocklist, version, created, file_id, "
            + "tree_version, tree_size FROM " + ENTRIES_BY_PATH + " WHERE "
            + inSubtree("entries"),
        concat(stamp.jid(), args));
    db.update("INSERT INTO trash_roots (ns, jid, path, kind, bytes, files, author, at) "
            + "SELECT ?, ?, ?, ?, coalesce(sum(size), 0), coalesce(sum(kind = 'FILE'), 0), ?, ? "
            + "FROM trash_entries WHERE ns = ? AND jid = ?",
        ns, stamp.jid(), path, root.kind().name(), stamp.author(), stamp.at().toEpochMilli(),
        ns, stamp.jid());
    long bytes = db.number(
        "SELECT sum(size) FROM " + ENTRIES_BY_PATH + " WHERE " + inSubtree("entries"), args);
    db.update("DELETE FROM " + ENTRIES_BY_PATH + " WHERE " + inSubtree("entries"), args);
    db.update("DELETE FROM properties WHERE " + inSubtree("properties"), args);
    return bytes;
  }

  /**
   * Takes {@code n} file ids from the database's counter (never from rowid, which a delete or a
   * VACUUM may hand out again) and returns the last one taken before: the new ids are {@code
   * base + 1 .. base + n}. With {@code n = 0}, just reads the counter.
   */
  private long allocateFileIds(int n) throws SQLException {
    if (n == 0) {
      return db.number("SELECT last_id FROM file_id_counter");
    }
    return db.number("UPDATE file_id_counter SET last_id = last_id + ? RETURNING last_id - ?", n, n);
  }

  /**
   * What a commit at {@code path} does to every directory above it (the root's counterparts are
   * the namespace's last jid and used bytes): its tree version becomes the commit's jid and its
   * tree size grows by {@code bytes}. One statement for the whole chain of ancestors.
   */
  private void touchAncestors(String ns, String path, long jid, long bytes) throws SQLException {
    List<String> ancestors = new ArrayList<>();
    for (String p = TreePaths.parent(path); !p.equals(TreePaths.ROOT); p = TreePaths.parent(p)) {
      ancestors.add(p);
    }
    if (!ancestors.isEmpty()) {
      db.update("UPDATE " + ENTRIES_BY_PATH + " SET tree_version = ?, tree_size = tree_size + ? "
              + "WHERE ns = ? AND path IN (SELECT value FROM json_each(?))",
          jid, bytes, ns, SqliteRows.jsonArray(ancestors));
    }
  }

  /** The namespace's {last_jid, used_bytes}; NOT_FOUND when there is no such namespace. */
  private long[] requireNamespace(String ns) throws SQLException {
    long[] counters = db.one("SELECT last_jid, used_bytes FROM namespaces WHERE ns = ?",
        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, ns);
    if (counters == null) {
      throw CairnException.notFound("no namespace " + ns);
    }
    return counters;
  }

  /**
   * The entry at {@code path}, or null, once its parent is known to be a folder (CONFLICT when it
   * does not exist or is a file): one statement reads both.
   */
  private Entry loadInDirectory(String ns, String path) throws SQLException {
    String parent = TreePaths.parent(path);
    if (parent.equals(TreePaths.ROOT)) {
      return load(ns, path);
    }
    Entry dir = null;
    Entry entry = null;
    for (Entry e : db.list(ENTRY_AND_PARENT, SqliteRows::entry, ns, parent, path)) {
      if (e.path().equals(path)) {
        entry = e;
      } else {
        dir = e;
      }
    }
    if (dir == null || !dir.isDirectory()) {
      throw CairnException.conflict(parent + (dir == null ? " does not exist" : " is a file"));
    }
    return entry;
  }

  private Entry load(String ns, String path) throws SQLException {
    return db.one(ENTRY_BY_PATH, SqliteRows::entry, ns, path);
  }

  private static void expect(Expect expect, Entry current, String path) {
    if (!expect.isMetBy(current)) {
      throw CairnException.preconditionFailed(path + " does not meet " + expect);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static Object[] concat(Object head, Object[] tail) {
    Object[] out = new Object[tail.length + 1];
    out[0] = head;
    System.arraycopy(tail, 0, out, 1, tail.length);
    return out;
  }

  private static Object[] concat(Object[] head, Object[] tail) {
    Object[] out = new Object[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
