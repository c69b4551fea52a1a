package io.cairn.bench;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A namespace of {@code rows} journal rows over {@code live} live files, generated row by row for
 * {@link JournalScaleStudy} without going through commits, with what a commit would have stored:
 * the journal rows (MKDIR, PUT, DELETE), the current tree (entries with file ids, tree versions and
 * tree sizes), the trash of the deleted files and the chunk references of every PUT.
 *
 * <p>The tree: top folders {@code /dNNNN} of ten folders {@code /dNNNN/sN} each, holding files
 * {@code fNNNNN}. Folder sizes cycle through 1,000, 100, 300, 1,000, 500, 1,000, 200 and 800 files,
 * and every 50th folder holds 10,000. Each file has several versions (PUTs), on average what the
 * row budget leaves; about one file in twenty more was put and deleted (in the trash). Rows are
 * emitted in path order, each file's versions at consecutive jids, so every index is filled in
 * order, except the current tree: a tree grown by commits over time stores the entries of one
 * folder wherever each was created, not side by side, so with {@code scatter} (the default of the
 * study) the entries are written in a shuffled order, the worst case for a listing's reads of the
 * table. Chunk hashes are counters (one chunk per version), so they are distinct and ordered.
 */
final class ScaleNamespace {
  static final String AUTHOR = "bench";
  static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
  private static final int[] SIZES = {1000, 100, 300, 1000, 500, 1000, 200, 800};

  /** The tables written, with their columns in the order {@link Sink#row} receives them. */
  enum Table {
    JOURNAL("journal", "ns, jid, kind, path, dest, size, content_hash, blocklist, mtime, author, at"),
    ENTRIES("entries", "ns, path, parent, name, kind, size, mtime, content_hash, blocklist, version, "
        + "created, file_id, tree_version, tree_size"),
    TRASH_ROOTS("trash_roots", "ns, jid, path, kind, bytes, files, author, at"),
    TRASH_ENTRIES("trash_entries", "ns, jid, path, kind, size, mtime, content_hash, blocklist, "
        + "version, created, file_id, tree_version, tree_size"),
    CHUNK_REFS("chunk_refs", "ns, hash");

    final String name;
    final String columns;

    Table(String name, String columns) {
      this.name = name;
      this.columns = columns;
    }
  }

  /** Where the rows go: one database's bulk loader. Times are epoch milliseconds. */
  interface Sink {
    void row(Table table, Object... values) throws Exception;
  }

  /** What was generated: the counters the namespace row and the file id counter must take. */
  record Totals(long rows, long liveFiles, long usedBytes, long lastFileId) {}

  final String ns;
  final long rows;
  final long live;
  /** Sizes of the leaf folders, in order; the last may be cut short. */
  final List<Integer> leaves = new ArrayList<>();
  private final long deleted;
  private final long versionBudget;
  private final long spread;

  private final boolean scatter;

  ScaleNamespace(String ns, long rows, long live, boolean scatter) {
    this.ns = ns;
    this.scatter = scatter;
    this.rows = rows;
    this.live = live;
    long sum = 0;
    for (int l = 0; sum < live; l++) {
      int size = l % 50 == 49 ? 10_000 : SIZES[l % SIZES.length];
      size = (int) Math.min(size, live - sum);
      leaves.add(size);
      sum += size;
    }
    long dirs = leaves.size() + (leaves.size() + 9) / 10;
    this.deleted = Math.min(live / 20, Math.max(0, (rows - dirs - live) / 4));
    this.versionBudget = Math.max(live, rows - dirs - 2 * deleted);
    this.spread = (versionBudget / live - 1) / 3;
  }

  static String leafPath(int leaf) {
    return String.format("/d%04d/s%d", leaf / 10, leaf % 10);
  }

  static String fileName(int k) {
    return String.format("f%05d", k);
  }

  /** The leaf folders holding exactly {@code size} files. */
  List<Integer> leavesOfSize(int size) {
    List<Integer> out = new ArrayList<>();
    for (int l = 0; l < leaves.size(); l++) {
      if (leaves.get(l) == size) {
        out.add(l);
      }
    }
    return out;
  }

  static ChunkHash hashOf(long n) {
    byte[] b = new byte[ChunkHash.BYTES];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (n >>> (56 - 8 * i));
    }
    b[31] = 1;
    return ChunkHash.of(b);
  }

  /** Emits every row into {@code sink}; jids start at 1, file ids above {@code firstFileId}. */
  Totals generate(Sink out, long firstFileId) throws Exception {
    List<Object[]> tree = new ArrayList<>();
    Sink sink = !scatter ? out : (t, values) -> {
      if (t == Table.ENTRIES) {
        tree.add(values);
      } else {
        out.row(t, values);
      }
    };
    long jid = 0;
    long fileId = firstFileId;
    long file = 0;
    long deletedDone = 0;
    long used = 0;
    long topJid = 0;
    long topSize = 0;
    for (int l = 0; l < leaves.size(); l++) {
      String top = String.format("/d%04d", l / 10);
      if (l % 10 == 0) {
        topJid = ++jid;
        sink.row(Table.JOURNAL, ns, topJid, "MKDIR", top, null, 0L, null, null, null, AUTHOR, at(topJid));
        topSize = 0;
      }
      String dir = leafPath(l);
      long dirJid = ++jid;
      sink.row(Table.JOURNAL, ns, dirJid, "MKDIR", dir, null, 0L, null, null, null, AUTHOR, at(dirJid));
      long dirSize = 0;
      int size = leaves.get(l);
      for (int k = 0; k < size; k++, file++) {
        long q = versionBudget * (file + 1) / live - versionBudget * file / live;
        long versions = Math.max(1, q + (file % 5 - 2) * spread);
        long first = jid + 1;
        long bytes = 0;
        Blocklist blocks = null;
        String path = dir + "/" + fileName(k);
        for (long v = 0; v < versions; v++) {
          jid++;
          bytes = 1 + (file * 7919 + v * 104_729) % 4_000_000;
          blocks = put(sink, jid, path, bytes);
        }
        sink.row(Table.ENTRIES, ns, path, dir, fileName(k), "FILE", bytes, at(jid),
            hashOf(jid).hex(), blocks.encode(), jid, at(first), ++fileId, jid, bytes);
        dirSize += bytes;
      }
      long quota = deleted * (l + 1) / leaves.size() - deletedDone;
      for (long k = 0; k < quota; k++, deletedDone++) {
        String path = dir + "/x" + String.format("%05d", k);
        long putJid = ++jid;
        long bytes = 1 + (deletedDone * 7919) % 4_000_000;
        Blocklist blocks = put(sink, putJid, path, bytes);
        long delJid = ++jid;
        sink.row(Table.JOURNAL, ns, delJid, "DELETE", path, null, 0L, null, null, null, AUTHOR, at(delJid));
        sink.row(Table.TRASH_ROOTS, ns, delJid, path, "FILE", bytes, 1L, AUTHOR, at(delJid));
        sink.row(Table.TRASH_ENTRIES, ns, delJid, path, "FILE", bytes, at(putJid), hashOf(putJid).hex(),
            blocks.encode(), putJid, at(putJid), ++fileId, putJid, bytes);
      }
      sink.row(Table.ENTRIES, ns, dir, top, dir.substring(top.length() + 1), "DIRECTORY", 0L,
          at(dirJid), null, null, dirJid, at(dirJid), ++fileId, jid, dirSize);
      topSize += dirSize;
      used += dirSize;
      if (l % 10 == 9 || l == leaves.size() - 1) {
        sink.row(Table.ENTRIES, ns, top, "/", top.substring(1), "DIRECTORY", 0L, at(topJid), null,
            null, topJid, at(topJid), ++fileId, jid, topSize);
      }
    }
    Collections.shuffle(tree, new Random(7));
    for (Object[] values : tree) {
      out.row(Table.ENTRIES, values);
    }
    return new Totals(jid, file, used, fileId);
  }

  private Blocklist put(Sink sink, long jid, String path, long bytes) throws Exception {
    ChunkHash h = hashOf(jid);
    Blocklist blocks = new Blocklist(List.of(new BlockRef(h, (int) bytes)));
    sink.row(Table.JOURNAL, ns, jid, "PUT", path, null, bytes, h.hex(), blocks.encode(), at(jid),
        AUTHOR, at(jid));
    sink.row(Table.CHUNK_REFS, ns, h.hex());
    return blocks;
  }

  static long at(long jid) {
    return T0 + jid * 1000;
  }
}
