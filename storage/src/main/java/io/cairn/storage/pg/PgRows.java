package io.cairn.storage.pg;

import io.cairn.core.Blocklist;
import io.cairn.core.TreePaths;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Converts between Java values and the columns of the journal's tables. */
final class PgRows {
  /** The columns {@link #entry} reads, in this order. */
  static final String ENTRY_COLUMNS =
      "path, kind, size, mtime, content_hash, blocklist, version, created, file_id, tree_version,"
          + " tree_size";

  /**
   * The columns {@link #listed} reads: {@link #ENTRY_COLUMNS} but the blocklist, and the name in
   * place of the path (the path is the listed folder's and the name). They are exactly what the
   * index {@code entries_by_parent} holds (schema version 12): keep the two the same, or a listing
   * reads a heap page per child again. Not the path: an index tuple holds at most about 2,700
   * bytes, and the key's parent and name already spell it.
   */
  static final String LISTED_COLUMNS =
      "name, kind, size, mtime, content_hash, version, created, file_id, tree_version, tree_size";

  /** The columns {@link #journalRow} reads, in this order. */
  static final String JOURNAL_COLUMNS =
      "ns, jid, kind, path, dest, size, content_hash, blocklist, mtime, author, at";

  private PgRows() {}

  /** What PostgreSQL's timestamptz holds and the driver reads back: 4713 BC to 294276 AD. */
  private static final Instant FIRST = Instant.parse("-4712-01-01T00:00:00Z");

  private static final Instant LAST = Instant.parse("+294276-12-31T23:59:59.999Z");

  /** Whether PostgreSQL can store {@code instant} (SQLite's epoch milliseconds reach further). */
  static boolean isStorable(Instant instant) {
    return !instant.isBefore(FIRST) && !instant.isAfter(LAST);
  }

  /** Both backends keep milliseconds: what is stored is what is returned. */
  static Instant millis(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
  }

  static OffsetDateTime toDb(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(millis(instant), ZoneOffset.UTC);
  }

  static Instant instant(Row row, int column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  /** NULL for an empty blocklist, as in the SQLite backend; both read back as empty. */
  static Buffer toDb(Blocklist blocklist) {
    return blocklist == null || blocklist.isEmpty() ? null : Buffer.buffer(blocklist.encode());
  }

  static Blocklist blocklist(Row row, int column) {
    Buffer b = row.getBuffer(column);
    return b == null ? Blocklist.EMPTY : Blocklist.decode(b.getBytes());
  }

  /** The entry in {@link #ENTRY_COLUMNS} starting at {@code first}; null when path is null. */
  static Entry entry(Row row, int first) {
    String path = row.getString(first);
    if (path == null) {
      return null;
    }
    return new Entry(
        path,
        EntryKind.valueOf(row.getString(first + 1)),
        row.getLong(first + 2),
        instant(row, first + 3),
        row.getString(first + 4),
        blocklist(row, first + 5),
        row.getLong(first + 6),
        instant(row, first + 7),
        row.getLong(first + 8),
        row.getLong(first + 9),
        row.getLong(first + 10));
  }

  /** The child of {@code parent} in {@link #LISTED_COLUMNS} starting at {@code first}. */
  static ListedEntry listed(String parent, Row row, int first) {
    return new ListedEntry(
        TreePaths.child(parent, row.getString(first)),
        EntryKind.valueOf(row.getString(first + 1)),
        row.getLong(first + 2),
        instant(row, first + 3),
        row.getString(first + 4),
        row.getLong(first + 5),
        instant(row, first + 6),
        row.getLong(first + 7),
        row.getLong(first + 8),
        row.getLong(first + 9));
  }

  /** The columns of {@code namespaces} that {@link #root} reads, in this order. */
  static final String ROOT_COLUMNS = "created_at, root_file_id, last_jid, used_bytes";

  /**
   * The implicit root of a namespace from {@link #ROOT_COLUMNS} starting at {@code first}: a
   * directory of version 0 whose tree is the whole namespace.
   */
  static Entry root(Row row, int first) {
    Instant created = instant(row, first);
    return new Entry(TreePaths.ROOT, EntryKind.DIRECTORY, 0, created, null, Blocklist.EMPTY, 0,
        created, row.getLong(first + 1), row.getLong(first + 2), row.getLong(first + 3));
  }

  /** The row in {@link #JOURNAL_COLUMNS} starting at {@code first}; null when jid is null. */
  static JournalRow journalRow(Row row, int first) {
    Long jid = row.getLong(first + 1);
    if (jid == null) {
      return null;
    }
    return new JournalRow(
        row.getString(first),
        jid,
        ChangeKind.valueOf(row.getString(first + 2)),
        row.getString(first + 3),
        row.getString(first + 4),
        row.getLong(first + 5),
        row.getString(first + 6),
        blocklist(row, first + 7),
        instant(row, first + 8),
        row.getString(first + 9),
        instant(row, first + 10));
  }
}
