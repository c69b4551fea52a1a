package io.cairn.storage.sqlite;

import io.cairn.core.Blocklist;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** How entries and journal rows are read from and written to their tables. */
final class SqliteRows {
  static final String ENTRY_COLUMNS =
      "path, kind, size, mtime, content_hash, blocklist, version, created, file_id, tree_version,"
          + " tree_size";
  /** The columns {@link #listed} reads: {@link #ENTRY_COLUMNS} but the blocklist. */
  static final String LISTED_COLUMNS =
      "path, kind, size, mtime, content_hash, version, created, file_id, tree_version, tree_size";
  static final String ROW_COLUMNS =
      "ns, jid, kind, path, dest, size, content_hash, blocklist, mtime, author, at";

  /**
   * The entries table read through its path index, for a condition on a list of paths (such as
   * {@link #inSubtree}): entries is keyed (ns, parent, name) since schema version 11, and without
   * statistics SQLite's planner takes that key's ns = ? for as selective as the index's ns = ? AND
   * path IN (...), and searches the key by namespace alone: a scan of the whole namespace. (An
   * equality on every column of the unique path index needs no such hint.)
   */
  static final String ENTRIES_BY_PATH = "entries INDEXED BY entries_by_path";

  /**
   * A condition selecting the rows of {@code table} at or below a path, taking the parameters
   * {@link #subtreeArgs}. In UTF-8 byte order the descendants of p are exactly the paths in
   * [p + "/", p + "0"), since '0' follows '/': no LIKE, so no escaping of '%' or '_'. Written as
   * two index searches for the paths because SQLite's planner scans the whole namespace for an OR
   * in an UPDATE or DELETE. Read entries as {@link #ENTRIES_BY_PATH}.
   */
  static String inSubtree(String table) {
    return "ns = ? AND path IN (SELECT path FROM " + table + " WHERE ns = ? AND path = ? UNION ALL "
        + "SELECT path FROM " + table + " WHERE ns = ? AND path > ? AND path < ?)";
  }

  static Object[] subtreeArgs(String ns, String path) {
    return new Object[] {ns, ns, path, ns, path + "/", path + "0"};
  }

  static Entry entry(SqliteConnection.Row rs) throws SQLException {
    return new Entry(
        rs.getString(1),
        EntryKind.valueOf(rs.getString(2)),
        rs.getLong(3),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5),
        Blocklist.decode(rs.getBytes(6)),
        rs.getLong(7),
        Instant.ofEpochMilli(rs.getLong(8)),
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11));
  }

  static ListedEntry listed(SqliteConnection.Row rs) throws SQLException {
    return new ListedEntry(
        rs.getString(1),
        EntryKind.valueOf(rs.getString(2)),
        rs.getLong(3),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5),
        rs.getLong(6),
        Instant.ofEpochMilli(rs.getLong(7)),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10));
  }

  static JournalRow journalRow(SqliteConnection.Row rs) throws SQLException {
    Instant mtimeOrNull = rs.isNull(9) ? null : Instant.ofEpochMilli(rs.getLong(9));
    return new JournalRow(
        rs.getString(1),
        rs.getLong(2),
        ChangeKind.valueOf(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getString(7),
        Blocklist.decode(rs.getBytes(8)),
        mtimeOrNull,
        rs.getString(10),
        Instant.ofEpochMilli(rs.getLong(11)));
  }

  /** The stored form of a blocklist: NULL when empty. */
  static byte[] blob(Blocklist blocklist) {
    return blocklist == null || blocklist.isEmpty() ? null : blocklist.encode();
  }

  /**
   * A JSON array of strings, for {@code IN (SELECT value FROM json_each(?))}: a list of any
   * length bound as one parameter, so one prepared statement serves every length.
   */
  static String jsonArray(Iterable<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String v : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"');
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }

  /**
   * {@code column} among {@code values} as a condition and its one parameter: {@code column = ?}
   * for a single value, else {@code column IN (SELECT value FROM json_each(?))} with {@link
   * #jsonArray}. The common single hash (a 4 KiB file's one chunk) then skips json_each's virtual
   * table and the temporary index its IN builds, which cost more than the lookup itself.
   */
  record In(String condition, Object parameter) {
    static In of(String column, List<String> values) {
      return values.size() == 1 ? new In(column + " = ?", values.getFirst())
          : new In(column + " IN (SELECT value FROM json_each(?))", jsonArray(values));
    }
  }

  static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  /** The columns of {@code namespaces} that {@link #root} reads, in this order. */
  static final String ROOT_COLUMNS = "created_at, root_file_id, last_jid, used_bytes";

  /**
   * The root's entry from {@link #ROOT_COLUMNS}: a directory of version 0, as old as its
   * namespace, whose tree is the whole namespace.
   */
  static Entry root(SqliteConnection.Row rs) throws SQLException {
    Instant t = Instant.ofEpochMilli(rs.getLong(1));
    return new Entry("/", EntryKind.DIRECTORY, 0, t, null, Blocklist.EMPTY, 0, t, rs.getLong(2),
        rs.getLong(3), rs.getLong(4));
  }
}
