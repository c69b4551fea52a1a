package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import java.time.Instant;
import java.util.List;

/** The rule that content already current is no new version (see {@link FileService#put}). */
final class Unchanged {
  private Unchanged() {}

  /**
   * The row that last wrote {@code current}, when a commit of {@code contentHash} with {@code
   * mtime} (null: keep) would change nothing there and {@code expect} holds; else null. The check
   * and a racing writer's commit are not one transaction: a PUT found unchanged is ordered before
   * any commit that lands after the read, as if it had committed first.
   */
  static JournalRow row(Journal journal, FilePath p, Entry current, String contentHash, Instant mtime, Expect expect) {
    if (current == null || current.isDirectory() || !contentHash.equals(current.contentHash())
        || mtime != null && mtime.toEpochMilli() != current.mtime().toEpochMilli()
        || !expect.isMetBy(current)) {
      return null;
    }
    // The entry's version is the jid of the row that wrote it, whatever its kind (a MOVE or COPY
    // of a folder above writes its children without naming them): read it by jid.
    List<JournalRow> rows = Await.result(journal.changes(p.ns(), current.version() - 1, 1));
    if (rows.isEmpty() || rows.get(0).jid() != current.version()) {
      throw new CairnException(CairnException.Kind.INTERNAL, "no journal row " + current.version() + " for " + p.path());
    }
    return rows.get(0);
  }

}
