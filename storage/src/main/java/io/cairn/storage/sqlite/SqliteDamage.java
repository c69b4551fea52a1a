package io.cairn.storage.sqlite;

import io.cairn.core.ChunkHash;
import io.cairn.storage.DamagedChunk;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The damaged-chunk records and maintenance values of ADR 0016, on SQLite. */
final class SqliteDamage {
  private SqliteDamage() {}

  /** Run by the writer: a chunk's first record stays. */
  static void mark(SqliteConnection db, Map<ChunkHash, String> problems, Instant at) throws SQLException {
    for (Map.Entry<ChunkHash, String> e : problems.entrySet()) {
      db.update("INSERT OR IGNORE INTO damaged_chunks (hash, problem, found_at) VALUES (?, ?, ?)",
          e.getKey().hex(), e.getValue(), at.toEpochMilli());
    }
  }

  /** Run by the writer. */
  static void clear(SqliteConnection db, Collection<ChunkHash> hashes) throws SQLException {
    for (ChunkHash h : hashes) {
      db.update("DELETE FROM damaged_chunks WHERE hash = ?", h.hex());
    }
  }

  static Map<ChunkHash, DamagedChunk> damaged(SqliteConnection db, Collection<ChunkHash> hashes) throws SQLException {
    Map<ChunkHash, DamagedChunk> out = new HashMap<>();
    if (hashes.isEmpty()) {
      return out;
    }
    SqliteRows.In in = SqliteRows.In.of("hash", hashes.stream().map(ChunkHash::hex).distinct().toList());
    db.list("SELECT hash, problem, found_at FROM damaged_chunks WHERE " + in.condition(),
        rs -> out.put(ChunkHash.parse(rs.getString(1)), record(rs)), in.parameter());
    return out;
  }

  static List<DamagedChunk> list(SqliteConnection db, ChunkHash after, int limit) throws SQLException {
    return db.list("SELECT hash, problem, found_at FROM damaged_chunks WHERE hash > ? ORDER BY hash LIMIT ?",
        SqliteDamage::record, after == null ? "" : after.hex(), Math.max(limit, 0));
  }

  static String value(SqliteConnection db, String key) throws SQLException {
    return db.one("SELECT value FROM maintenance_values WHERE key = ?", rs -> rs.getString(1), key);
  }

  /** Run by the writer. */
  static void setValue(SqliteConnection db, String key, String value, long now) throws SQLException {
    if (value == null) {
      db.update("DELETE FROM maintenance_values WHERE key = ?", key);
    } else {
      db.update("INSERT INTO maintenance_values (key, value, updated_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
          key, value, now);
    }
  }

  private static DamagedChunk record(SqliteConnection.Row rs) throws SQLException {
    return new DamagedChunk(ChunkHash.parse(rs.getString(1)), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
  }
}
