package io.cairn.server.fsck;

import io.cairn.core.BlockRef;
import io.cairn.core.ChunkHash;
import io.cairn.core.Blocklist;
import io.cairn.core.ContentHash;
import io.cairn.core.TreePaths;
import io.cairn.server.retained.RetainedVersions;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The integrity check of one journal and its chunk store (design invariant 3), reading only. Per
 * namespace, in pages, it checks:
 *
 * <ol>
 *   <li>the live tree: every file's chunks exist, its content hash is that of its blocklist, and
 *       the journal row its {@code version} names wrote it (a PUT with the same content at its
 *       path, or a MOVE or COPY that brought it there, whose content some PUT of the namespace
 *       carries); every directory's tree size is the sum of the files below it (ADR 0009);
 *   <li>every stored entry, also one that no walk from the root reaches: its parent is a live
 *       directory;
 *   <li>every PUT row of the journal: its chunks exist;
 *   <li>every file in the trash: its chunks exist (ADR 0007).
 * </ol>
 *
 * With {@code verify} every chunk is also read and re-hashed. Each problem is one line on {@code
 * out}; progress goes to {@code err} every {@code progressEvery}. Not thread-safe: one run, one
 * thread, which it blocks (never a Vert.x event loop).
 */
public final class Fsck {
  static final int PAGE = RetainedVersions.PAGE;

  /**
   * What one run checked and found: {@code problems} new ones, {@code known} lines of damage the
   * journal recorded before (ADR 0016), {@code repaired} chunk records written or cleared.
   */
  public record Summary(long namespaces, long versions, long chunks, long bytesRead, long problems, long known,
      long repaired) {
    /** True when nothing is wrong: no problem and no known damage. */
    public boolean clean() {
      return problems == 0 && known == 0;
    }
  }

  /** A live file written by a MOVE or COPY: some PUT of its namespace must carry its content. */
  private record Moved(String path, long size, Blocklist blocklist) {}

  private final Journal journal;
  private final boolean verify;
  private final boolean repair;
  private final Map<ChunkHash, String> newlyDamaged = new LinkedHashMap<>();
  private final List<ChunkHash> soundAgain = new ArrayList<>();
  /** Chunks recorded as damaged that a retained version still needs. */
  private final java.util.Set<ChunkHash> stillNeeded = new java.util.HashSet<>();
  private long known;
  private long damageLines;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Duration progressEvery;
  private final ChunkChecker chunks;
  private final RetainedVersions retained;
  private long namespaces;
  private long versions;
  private long problems;
  private long lastProgress;
  private Instant started;

  public Fsck(Journal journal, ChunkStore store, boolean verify, PrintStream out, PrintStream err,
      Clock clock, Duration progressEvery) {
    this(journal, store, verify, false, out, err, clock, progressEvery);
  }

  /**
   * With {@code repair} the run ends by recording every chunk it found missing or corrupt as
   * damaged in the journal ({@link Journal#markDamaged}), and, with {@code verify}, clearing the
   * record of every recorded chunk that reads sound again; it changes nothing else (ADR 0016).
   */
  public Fsck(Journal journal, ChunkStore store, boolean verify, boolean repair, PrintStream out, PrintStream err,
      Clock clock, Duration progressEvery) {
    this.journal = journal;
    this.verify = verify;
    this.repair = repair;
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.progressEvery = progressEvery;
    this.chunks = new ChunkChecker(store, journal, verify, new ChunkChecker.Findings() {
      @Override
      public void problem(String line) {
        Fsck.this.problem(line);
      }

      @Override
      public void known(ChunkHash hash, String line) {
        known++;
        stillNeeded.add(hash);
        out.println(line);
      }

      @Override
      public void damaged(ChunkHash hash, String problem, int lines) {
        newlyDamaged.putIfAbsent(hash, problem);
        damageLines += lines;
      }

      @Override
      public void sound(ChunkHash hash) {
        soundAgain.add(hash);
      }
    }, this::progress);
    // Expired versions are not checked: gc may have freed their chunks once the grace passed.
    this.retained = new RetainedVersions(journal, Fsck::await, this::progress, Instant.MAX);
  }

  /** Checks everything; fails with {@link FsckFailure} when the storage fails or stops answering. */
  public Summary run() {
    lastProgress = clock.millis();
    started = clock.instant();
    retained.forEachNamespace(this::checkNamespace);
    chunks.flush();
    long repaired = 0;
    if (repair) {
      repaired = repairChunks();
    } else {
      soundAgain.forEach(h -> problem("SOUND chunk " + h.hex() + " is recorded as damaged but reads sound: --repair clears its record"));
      unneededRecords().forEach(h -> problem("UNNEEDED chunk " + h.hex()
          + " is recorded as damaged but no retained version needs it: --repair clears its record"));
    }
    return new Summary(namespaces, versions, chunks.checked(), chunks.bytesRead(), problems, known, repaired);
  }

  /** Records what this run found damaged, clears what reads sound again; the records changed. */
  private long repairChunks() {
    if (!newlyDamaged.isEmpty()) {
      await(journal.markDamaged(newlyDamaged, clock.instant()), "record the damaged chunks");
      newlyDamaged.forEach((h, p) -> out.println("REPAIRED chunk " + h.hex() + " recorded as damaged: it " + p
          + "; what names it now answers a clear error"));
      // Now known damage, no longer a problem this run leaves behind.
      problems -= damageLines;
      known += damageLines;
    }
    if (!soundAgain.isEmpty()) {
      await(journal.clearDamaged(soundAgain), "clear the records of chunks that read sound");
      soundAgain.forEach(h -> out.println("REPAIRED chunk " + h.hex() + " reads sound again: its damage record is cleared"));
    }
    List<ChunkHash> unneeded = unneededRecords();
    if (!unneeded.isEmpty()) {
      await(journal.clearDamaged(unneeded), "clear the records of chunks no version needs");
      unneeded.forEach(h -> out.println("REPAIRED chunk " + h.hex()
          + " is needed by no retained version any more: its damage record is cleared"));
    }
    return newlyDamaged.size() + soundAgain.size() + unneeded.size();
  }

  /**
   * The chunks recorded as damaged that this run found no retained version needing (their
   * versions were purged or expired): their records would keep the alert on for nothing.
   */
  private List<ChunkHash> unneededRecords() {
    List<ChunkHash> out = new ArrayList<>();
    ChunkHash after = null;
    while (true) {
      List<io.cairn.storage.DamagedChunk> page = await(journal.damagedChunks(after, PAGE), "list the damaged chunks");
      for (io.cairn.storage.DamagedChunk d : page) {
        // Recorded during the walk (by a scrub beside it): the walk may have passed its versions.
        boolean before = d.foundAt().isBefore(started);
        if (before && !stillNeeded.contains(d.hash()) && !newlyDamaged.containsKey(d.hash())
            && !soundAgain.contains(d.hash())) {
          out.add(d.hash());
        }
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.getLast().hash();
    }
  }

  private void checkNamespace(String ns) {
    Map<String, List<Moved>> moved = new HashMap<>();
    Entry root = await(journal.entry(ns, TreePaths.ROOT), "read the root of " + ns);
    long below = walk(ns, TreePaths.ROOT, moved);
    if (root.treeSize() != below) {
      mismatch(ns, TreePaths.ROOT, "tree size " + root.treeSize() + " but the files below hold " + below + " bytes");
    }
    checkParents(ns);
    walkJournal(ns, moved);
    moved.values().forEach(files -> files.forEach(f -> mismatch(ns, f.path(),
        "no PUT row of the namespace carries its content (" + f.size() + " bytes)")));
    walkTrash(ns);
    namespaces++;
    progress();
  }

  /** Checks the entries below directory {@code dir}; the bytes of the files below it. */
  private long walk(String ns, String dir, Map<String, List<Moved>> moved) {
    long bytes = 0;
    String after = null;
    while (true) {
      List<Entry> page = await(journal.children(ns, dir, after, PAGE), "list " + ns + ":" + dir);
      for (Entry e : page) {
        if (e.isDirectory()) {
          long below = walk(ns, e.path(), moved);
          if (e.treeSize() != below) {
            mismatch(ns, e.path(), "tree size " + e.treeSize() + " but the files below hold " + below + " bytes");
          }
          checkWriter(ns, e, moved);
          bytes += below;
        } else {
          checkFile(ns, e, moved);
          bytes += e.size();
        }
      }
      progress();
      if (page.size() < PAGE) {
        return bytes;
      }
      after = page.getLast().name();
    }
  }

  private void checkFile(String ns, Entry file, Map<String, List<Moved>> moved) {
    Blocklist blocks = file.blocklist() == null ? Blocklist.EMPTY : file.blocklist();
    need(ns, file.path(), "live", blocks);
    if (blocks.size() != file.size()) {
      mismatch(ns, file.path(), "size " + file.size() + " but its blocklist holds " + blocks.size() + " bytes");
    }
    if (!ContentHash.of(blocks).equals(file.contentHash())) {
      mismatch(ns, file.path(), "its content hash is not that of its blocklist");
    }
    checkWriter(ns, file, moved);
  }

  /** The journal row an entry's {@code version} names must be the one that wrote it. */
  private void checkWriter(String ns, Entry e, Map<String, List<Moved>> moved) {
    List<JournalRow> rows = await(journal.changes(ns, e.version() - 1, 1), "read " + ns + " jid " + e.version());
    if (rows.isEmpty() || rows.getFirst().jid() != e.version()) {
      mismatch(ns, e.path(), "its version jid " + e.version() + " has no journal row");
      return;
    }
    JournalRow row = rows.getFirst();
    boolean broughtHere = (row.kind() == ChangeKind.MOVE || row.kind() == ChangeKind.COPY)
        && row.dest() != null && TreePaths.isSameOrBelow(e.path(), row.dest());
    if (broughtHere) {
      if (!e.isDirectory()) {
        moved.computeIfAbsent(e.contentHash(), h -> new ArrayList<>())
            .add(new Moved(e.path(), e.size(), e.blocklist() == null ? Blocklist.EMPTY : e.blocklist()));
      }
      return;
    }
    ChangeKind expected = e.isDirectory() ? ChangeKind.MKDIR : ChangeKind.PUT;
    if (row.kind() != expected || !row.path().equals(e.path())) {
      mismatch(ns, e.path(), "its version jid " + e.version() + " is a " + row.kind() + " of " + row.path());
    } else if (!e.isDirectory() && !sameContent(row, e.size(), e.contentHash(), e.blocklist())) {
      mismatch(ns, e.path(), "its content differs from the PUT row jid " + row.jid() + " that wrote it");
    }
  }

  /** Every stored entry's parent must be a live directory; directories met are remembered. */
  private void checkParents(String ns) {
    Map<String, Boolean> isDirectory = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > 10_000;
      }
    };
    retained.forEachEntry(ns, e -> {
      String parent = TreePaths.parent(e.path());
      Boolean dir = parent.equals(TreePaths.ROOT) ? Boolean.TRUE : isDirectory.get(parent);
      if (dir == null) {
        Entry p = await(journal.entry(ns, parent), "read " + ns + ":" + parent);
        dir = p == null ? null : p.isDirectory();
        if (dir != null) {
          isDirectory.put(parent, dir);
        }
      }
      if (dir == null) {
        mismatch(ns, e.path(), "its parent " + parent + " is not a live entry");
      } else if (!dir) {
        mismatch(ns, e.path(), "its parent " + parent + " is a file");
      }
      isDirectory.put(e.path(), e.isDirectory());
    });
  }

  private void walkJournal(String ns, Map<String, List<Moved>> moved) {
    retained.forEachRow(ns, (row, kept) -> {
      if (row.kind() != ChangeKind.PUT) {
        return;
      }
      Blocklist blocks = row.blocklist() == null ? Blocklist.EMPTY : row.blocklist();
      if (kept) {
        versions++;
        need(ns, row.path(), "version jid " + row.jid(), blocks);
      }
      if (!ContentHash.of(blocks).equals(row.contentHash()) || blocks.size() != row.size()) {
        mismatch(ns, row.path(), "the PUT row jid " + row.jid() + " has a content hash or size not of its blocklist");
      }
      List<Moved> waiting = moved.get(row.contentHash());
      if (waiting != null) {
        waiting.removeIf(m -> sameContent(row, m.size(), row.contentHash(), m.blocklist()));
        if (waiting.isEmpty()) {
          moved.remove(row.contentHash());
        }
      }
    });
  }

  private void walkTrash(String ns) {
    retained.forEachTrashedFile(ns, (item, e) ->
        need(ns, e.path(), "trash jid " + item.jid(), RetainedVersions.blocks(e.blocklist())));
  }

  private static boolean sameContent(JournalRow row, long size, String contentHash, Blocklist blocks) {
    Blocklist rowBlocks = row.blocklist() == null ? Blocklist.EMPTY : row.blocklist();
    return row.size() == size && row.contentHash() != null && row.contentHash().equals(contentHash)
        && rowBlocks.equals(blocks == null ? Blocklist.EMPTY : blocks);
  }

  private void need(String ns, String path, String which, Blocklist blocks) {
    String where = ns + ":" + path + " (" + which + ")";
    for (BlockRef b : blocks.blocks()) {
      chunks.need(b.hash(), b.length(), where);
    }
  }

  private void mismatch(String ns, String path, String what) {
    problem("MISMATCH " + ns + ":" + path + ": " + what);
  }

  private void problem(String line) {
    problems++;
    out.println(line);
  }

  private void progress() {
    long now = clock.millis();
    if (now - lastProgress >= progressEvery.toMillis()) {
      lastProgress = now;
      err.println("fsck: " + namespaces + " namespaces, " + versions + " versions, " + chunks.checked()
          + " chunks checked so far" + (verify ? " (" + chunks.bytesRead() + " bytes read)" : "")
          + "; " + problems + " problems");
    }
  }

  /** The future's value, waited for on this thread; an {@link FsckFailure} when it fails. */
  static <T> T await(Future<T> future, String what) {
    return RetainedVersions.await(future, what, FsckFailure::new);
  }
}
