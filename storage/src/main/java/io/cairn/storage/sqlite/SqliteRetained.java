package io.cairn.storage.sqlite;

import io.cairn.core.ChunkHash;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import io.cairn.storage.NamespaceUsage;
import io.cairn.core.CairnException;
import io.cairn.storage.TrashItem;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journal retains beyond the live tree and its rows (migration V4): reads of the trash,
 * chunk references and uploads, the record of uploads (run by the writer), and the history walk's
 * query. Reads run on a reader connection inside one read transaction.
 */
final class SqliteRetained {
  private static final String ROOT_COLUMNS = "path, jid, at, author, kind, bytes, files";
  /** Rows at or below a path p, taking the parameters p, p + "/", p + "0" (see SqliteRows). */
  private static final String AT_OR_BELOW = "(path = ? OR (path > ? AND path < ?))";

  private static final String USAGE = NamespaceUsage.sql("?1");

  private SqliteRetained() {}

  static List<JournalRow> historyRows(SqliteConnection db, String ns, String path,
      List<String> ancestors, long beforeJid, int limit) throws SQLException {
    String columns = SqliteRows.ROW_COLUMNS;
    List<JournalRow> rows = db.list(
        "SELECT " + columns + " FROM (SELECT " + columns + " FROM journal WHERE ns = ? AND path = ?"
            + " AND jid < ? UNION ALL SELECT " + columns + " FROM journal WHERE ns = ? AND dest = ?"
            + " AND jid < ? UNION ALL SELECT " + columns + " FROM journal WHERE ns = ?"
            + " AND dest IN (SELECT value FROM json_each(?)) AND kind = 'MOVE' AND jid < ?)"
            + " ORDER BY jid DESC LIMIT ?",
        SqliteRows::journalRow, ns, path, beforeJid, ns, path, beforeJid, ns,
        SqliteRows.jsonArray(ancestors), beforeJid, Math.max(limit, 0));
    if (rows.isEmpty()) {
      SqliteQueries.namespace(db, ns);
    }
    return rows;
  }

  static NamespaceUsage usage(SqliteConnection db, String ns) throws SQLException {
    NamespaceUsage usage = db.one(USAGE, rs -> rs.isNull(1) ? null
        : new NamespaceUsage(ns, rs.getLong(1), rs.getLong(2), rs.getLong(3)), ns);
    if (usage == null) {
      throw CairnException.notFound("no namespace " + ns);
    }
    return usage;
  }

  static List<TrashItem> trash(SqliteConnection db, String ns, String under, int limit)
      throws SQLException {
    List<TrashItem> items = under.equals(TreePaths.ROOT)
        ? db.list("SELECT " + ROOT_COLUMNS + " FROM trash_roots WHERE ns = ?"
            + " ORDER BY jid DESC LIMIT ?", SqliteRetained::item, ns, Math.max(limit, 0))
        : db.list("SELECT " + ROOT_COLUMNS + " FROM trash_roots WHERE ns = ? AND " + AT_OR_BELOW
            + " ORDER BY jid DESC LIMIT ?", SqliteRetained::item, ns, under, under + "/",
            under + "0", Math.max(limit, 0));
    if (items.isEmpty()) {
      SqliteQueries.namespace(db, ns);
    }
    return items;
  }

  static List<Entry> trashed(SqliteConnection db, String ns, long jid, String path)
      throws SQLException {
    String select = "SELECT " + SqliteRows.ENTRY_COLUMNS + " FROM trash_entries"
        + " WHERE ns = ? AND jid = ?";
    List<Entry> entries = path.equals(TreePaths.ROOT)
        ? db.list(select + " ORDER BY path", SqliteRows::entry, ns, jid)
        : db.list(select + " AND " + AT_OR_BELOW + " ORDER BY path", SqliteRows::entry, ns, jid,
            path, path + "/", path + "0");
    if (entries.isEmpty()) {
      SqliteQueries.namespace(db, ns);
    }
    return entries;
  }

  static Set<ChunkHash> referenced(SqliteConnection db, Collection<String> namespaces,
      Collection<ChunkHash> hashes) throws SQLException {
    Set<ChunkHash> out = new HashSet<>();
    if (namespaces.isEmpty() || hashes.isEmpty()) {
      return out;
    }
    db.list("SELECT hash FROM chunk_refs WHERE ns IN (SELECT value FROM json_each(?))"
            + " AND hash IN (SELECT value FROM json_each(?))",
        rs -> out.add(ChunkHash.parse(rs.getString(1))),
        SqliteRows.jsonArray(namespaces), SqliteRows.jsonArray(hexes(hashes)));
    return out;
  }

  static Set<ChunkHash> uploadedSince(SqliteConnection db, String user,
      Collection<ChunkHash> hashes, Instant since) throws SQLException {
    Set<ChunkHash> out = new HashSet<>();
    if (hashes.isEmpty()) {
      return out;
    }
    db.list("SELECT hash FROM chunk_uploads WHERE user_name = ?"
            + " AND hash IN (SELECT value FROM json_each(?)) AND at >= ?",
        rs -> out.add(ChunkHash.parse(rs.getString(1))),
        user == null ? "" : user, SqliteRows.jsonArray(hexes(hashes)), since.toEpochMilli());
    return out;
  }

  /** Run by the writer: one row per user and chunk, holding the newest upload's time. */
  static void recordUpload(SqliteConnection db, String user, Collection<ChunkHash> hashes,
      Instant at) throws SQLException {
    for (String hash : new HashSet<>(hexes(hashes))) {
      db.update("INSERT INTO chunk_uploads (user_name, hash, at) VALUES (?, ?, ?)"
              + " ON CONFLICT (user_name, hash) DO UPDATE SET at = max(at, excluded.at)",
          user == null ? "" : user, hash, at.toEpochMilli());
    }
  }

  /** Run by the writer: the first expiry of each jid stays. */
  static void expire(SqliteConnection db, String ns, Collection<Long> jids, Instant at) throws SQLException {
    for (long jid : new HashSet<>(jids)) {
      db.update("INSERT OR IGNORE INTO expired_versions (ns, jid, expired_at) VALUES (?, ?, ?)",
          ns, jid, at.toEpochMilli());
    }
  }

  static Map<Long, Instant> expired(SqliteConnection db, String ns, Collection<Long> jids) throws SQLException {
    Map<Long, Instant> out = new HashMap<>();
    if (jids.isEmpty()) {
      return out;
    }
    db.list("SELECT jid, expired_at FROM expired_versions WHERE ns = ?"
            + " AND jid IN (SELECT value FROM json_each(?))",
        rs -> out.put(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))),
        ns, "[" + String.join(",", jids.stream().map(String::valueOf).toList()) + "]");
    return out;
  }

  static Map<String, Long> namespaceSettings(SqliteConnection db, String ns) throws SQLException {
    SqliteQueries.namespace(db, ns);
    Map<String, Long> out = new java.util.TreeMap<>();
    db.list("SELECT key, value FROM namespace_settings WHERE ns = ?", rs -> out.put(rs.getString(1), rs.getLong(2)), ns);
    return out;
  }

  /** Run by the writer, in one transaction. */
  static void setNamespaceSettings(SqliteConnection db, String ns, Map<String, Long> settings) throws SQLException {
    SqliteQueries.namespace(db, ns);
    for (Map.Entry<String, Long> e : settings.entrySet()) {
      if (e.getValue() == null) {
        db.update("DELETE FROM namespace_settings WHERE ns = ? AND key = ?", ns, e.getKey());
      } else {
        db.update("INSERT INTO namespace_settings (ns, key, value) VALUES (?, ?, ?)"
            + " ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value", ns, e.getKey(), e.getValue());
      }
    }
  }

  private static List<String> hexes(Collection<ChunkHash> hashes) {
    return hashes.stream().map(ChunkHash::hex).toList();
  }

  private static TrashItem item(SqliteConnection.Row rs) throws SQLException {
    return new TrashItem(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
        rs.getString(4), EntryKind.valueOf(rs.getString(5)), rs.getLong(6), rs.getLong(7));
  }
}
