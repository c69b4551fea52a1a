package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespacedPath;
import io.cairn.storage.PropertyName;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The journal's reads, each run on a reader connection inside one read transaction. */
final class SqliteQueries {
  /**
   * The namespace's row joined with the entry at a path: no row when the namespace does not
   * exist, a row of NULLs when the entry does not, so a lookup is one statement either way.
   */
  private static final String ENTRY_IN_NAMESPACE =
      "SELECT " + SqliteRows.ENTRY_COLUMNS.replaceAll("(\\w+)", "e.$1")
          + " FROM namespaces n LEFT JOIN entries e ON e.ns = n.ns AND e.path = ? WHERE n.ns = ?";

  private SqliteQueries() {}

  static NamespaceInfo namespace(SqliteConnection db, String ns) throws SQLException {
    NamespaceInfo info = db.one("SELECT last_jid, used_bytes FROM namespaces WHERE ns = ?",
        rs -> new NamespaceInfo(ns, rs.getLong(1), rs.getLong(2)), ns);
    if (info == null) {
      throw CairnException.notFound("no namespace " + ns);
    }
    return info;
  }

  /**
   * The entry at {@code path}, or null; NOT_FOUND when the namespace does not exist. One statement
   * whether or not the entry exists: a PUT of a new file looks up an absent path.
   */
  static Entry entry(SqliteConnection db, String ns, String path) throws SQLException {
    if (path.equals(TreePaths.ROOT)) {
      Entry root = db.one("SELECT " + SqliteRows.ROOT_COLUMNS + " FROM namespaces WHERE ns = ?",
          SqliteRows::root, ns);
      if (root == null) {
        throw CairnException.notFound("no namespace " + ns);
      }
      return root;
    }
    Optional<Entry> found = db.one(ENTRY_IN_NAMESPACE,
        rs -> rs.isNull(1) ? Optional.empty() : Optional.of(SqliteRows.entry(rs)), path, ns);
    if (found == null) {
      throw CairnException.notFound("no namespace " + ns);
    }
    return found.orElse(null);
  }

  static List<Entry> children(SqliteConnection db, String ns, String path, String after,
      int limit) throws SQLException {
    return page(db, ns, path, after, limit, SqliteRows.ENTRY_COLUMNS, SqliteRows::entry);
  }

  /** {@link #children} without blocklists: a child's blocklist may lie in an overflow page. */
  static List<ListedEntry> listing(SqliteConnection db, String ns, String path, String after,
      int limit) throws SQLException {
    return page(db, ns, path, after, limit, SqliteRows.LISTED_COLUMNS, SqliteRows::listed);
  }

  private static <T> List<T> page(SqliteConnection db, String ns, String path, String after,
      int limit, String columns, SqliteConnection.RowMapper<T> reader) throws SQLException {
    Entry dir = entry(db, ns, path);
    if (dir == null) {
      throw CairnException.notFound(path + " does not exist");
    }
    if (!dir.isDirectory()) {
      throw CairnException.conflict(path + " is a file");
    }
    // Names are never empty, so '' stands for "from the first".
    return db.list(
        "SELECT " + columns + " FROM entries "
            + "WHERE ns = ? AND parent = ? AND name > ? ORDER BY name LIMIT ?",
        reader, ns, path, after == null ? "" : after, Math.max(limit, 0));
  }

  /** Entries exist only in namespaces that exist: the namespace is looked up only for none. */
  static List<Entry> entriesByPath(SqliteConnection db, String ns, String afterPath, int limit)
      throws SQLException {
    // Paths are never empty, so '' stands for "from the first"; the primary key (ns, path) orders.
    List<Entry> entries = db.list(
        "SELECT " + SqliteRows.ENTRY_COLUMNS + " FROM entries "
            + "WHERE ns = ? AND path > ? ORDER BY path LIMIT ?",
        SqliteRows::entry, ns, afterPath == null ? "" : afterPath, Math.max(limit, 0));
    if (entries.isEmpty()) {
      namespaceCreated(db, ns);
    }
    return entries;
  }

  /** Rows exist only in namespaces that exist: the namespace is looked up only for no rows. */
  static List<JournalRow> changes(SqliteConnection db, String ns, long afterJid, int limit)
      throws SQLException {
    List<JournalRow> rows = db.list(
        "SELECT " + SqliteRows.ROW_COLUMNS + " FROM journal "
            + "WHERE ns = ? AND jid > ? ORDER BY jid LIMIT ?",
        SqliteRows::journalRow, ns, afterJid, Math.max(limit, 0));
    if (rows.isEmpty()) {
      namespaceCreated(db, ns);
    }
    return rows;
  }

  static List<JournalRow> history(SqliteConnection db, String ns, String path, int limit)
      throws SQLException {
    String columns = SqliteRows.ROW_COLUMNS;
    List<JournalRow> rows = db.list(
        "SELECT " + columns + " FROM (SELECT " + columns + " FROM journal WHERE ns = ? AND path = ?"
            + " UNION ALL SELECT " + columns + " FROM journal WHERE ns = ? AND dest = ?)"
            + " ORDER BY jid DESC LIMIT ?",
        SqliteRows::journalRow, ns, path, ns, path, Math.max(limit, 0));
    if (rows.isEmpty()) {
      namespaceCreated(db, ns);
    }
    return rows;
  }

  /** Properties exist only at live paths: the path is looked up only when there are none. */
  static Map<PropertyName, String> properties(SqliteConnection db, String ns, String path)
      throws SQLException {
    Map<PropertyName, String> out = new HashMap<>();
    db.list("SELECT pns, pname, value FROM properties WHERE ns = ? AND path = ?",
        rs -> out.put(new PropertyName(rs.getString(1), rs.getString(2)), rs.getString(3)),
        ns, path);
    if (out.isEmpty() && entry(db, ns, path) == null) {
      throw CairnException.notFound(path + " does not exist");
    }
    return out;
  }

  /**
   * The dead properties of each of {@code paths} that has any, but those in the namespace {@code
   * hidden}. Read as a range of the primary key from the first to the last of the paths (in code
   * point order, SQLite's BINARY order): a listing's page is a run of siblings, so one index search
   * answers it, where a search per path (json_each) cost about 4 ms of CPU per PROPFIND allprop of
   * 5,000 files. Every file has a hidden property (its content digest): the siblings' stay in
   * SQLite. A row of a path not asked for (a child's descendant, a sibling not in the run) ends the
   * read at once, and the next starts at the next path asked for: a child's subtree costs one
   * search, not a read of its rows, and there are at most as many searches as paths.
   */
  static Map<String, Map<PropertyName, String>> properties(SqliteConnection db, String ns,
      Collection<String> paths, String hidden) throws SQLException {
    Map<String, Map<PropertyName, String>> out = new HashMap<>();
    if (paths.isEmpty()) {
      return out;
    }
    // Sorted as a list: a page comes in name order, which TimSort checks in one pass (a TreeSet's
    // insertions, each comparing paths along their shared folder, cost more than the read).
    String[] wanted = paths.toArray(new String[0]);
    Arrays.sort(wanted, SqliteQueries::byCodePoint);
    String last = wanted[wanted.length - 1];
    int level = siblingsLevel(wanted[0], last);
    String[] other = new String[1];
    String from = wanted[0];
    while (from != null) {
      other[0] = null;
      // Rows below the siblings' level come out whatever their namespace, so that they end a read.
      db.each("SELECT path, pns, pname, value FROM properties WHERE ns = ? AND path >= ?"
              + " AND path <= ? AND (pns IS NOT ? OR instr(substr(path, ?), '/') > 0)",
          rs -> {
            String path = rs.getString(1);
            if (Arrays.binarySearch(wanted, path, SqliteQueries::byCodePoint) < 0) {
              other[0] = path;
              return false;
            }
            String pns = rs.getString(2);
            if (!pns.equals(hidden)) {
              out.computeIfAbsent(path, p -> new HashMap<>())
                  .put(new PropertyName(pns, rs.getString(3)), rs.getString(4));
            }
            return true;
          },
          ns, from, last, hidden, level);
      from = other[0] == null ? null : next(wanted, other[0]);
    }
    return out;
  }

  /** The first of the sorted {@code paths} after {@code path}, which is not among them; or null. */
  private static String next(String[] paths, String path) {
    int at = -Arrays.binarySearch(paths, path, SqliteQueries::byCodePoint) - 1;
    return at < paths.length ? paths[at] : null;
  }

  /**
   * Where, counting characters from 1 as SQLite's substr does, the names of siblings begin when the
   * first and the last of the paths (in code point order) share one parent: a path with a '/' from
   * there on lies below them. 1 otherwise, which every path matches.
   */
  private static int siblingsLevel(String first, String last) {
    if (first.equals(TreePaths.ROOT)) {
      return 1;
    }
    String parent = TreePaths.parent(first);
    if (!parent.equals(TreePaths.parent(last))) {
      return 1;
    }
    // The first and last share a parent, so every path between them is a sibling or below one.
    String prefix = parent.equals(TreePaths.ROOT) ? parent : parent + "/";
    return prefix.codePointCount(0, prefix.length()) + 1;
  }

  /** Unicode code point order, which is UTF-8 byte order: SQLite's BINARY collation of text. */
  static int byCodePoint(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // Surrogates (U+D800-DFFF) encode code points above every char from U+E000 up.
        return shifted(x) - shifted(y);
      }
    }
    return a.length() - b.length();
  }

  private static int shifted(char c) {
    return c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
  }

  /**
   * Live paths with a character outside ASCII: length() counts characters, the length of the
   * BLOB cast UTF-8 bytes, and the two differ exactly then. Walks the primary key in order.
   */
  static List<NamespacedPath> nonAsciiPaths(SqliteConnection db, NamespacedPath after, int limit)
      throws SQLException {
    // Namespace names and paths are never empty, so ('', '') stands for "from the first".
    return db.list(
        "SELECT ns, path FROM entries WHERE (ns, path) > (?, ?)"
            + " AND length(path) <> length(CAST(path AS BLOB)) ORDER BY ns, path LIMIT ?",
        rs -> new NamespacedPath(rs.getString(1), rs.getString(2)),
        after == null ? "" : after.ns(), after == null ? "" : after.path(), Math.max(limit, 0));
  }

  static boolean maintenanceDone(SqliteConnection db, String step) throws SQLException {
    return db.one("SELECT 1 FROM maintenance WHERE step = ?", rs -> true, step) != null;
  }

  /** When the namespace was created (epoch ms); NOT_FOUND when there is no such namespace. */
  private static long namespaceCreated(SqliteConnection db, String ns) throws SQLException {
    Long created = db.one("SELECT created_at FROM namespaces WHERE ns = ?",
        rs -> rs.getLong(1), ns);
    if (created == null) {
      throw CairnException.notFound("no namespace " + ns);
    }
    return created;
  }
}
