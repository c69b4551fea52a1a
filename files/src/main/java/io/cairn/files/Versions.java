package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import java.util.List;

/** Finds one retained version of a file in its history, following renames. */
final class Versions {
  /** Versions read per page while looking. */
  private static final int PAGE = 1000;

  private Versions() {}

  /** The PUT row {@code jid} in the history of {@code p}; NOT_FOUND when there is none. */
  static JournalRow find(Journal journal, FilePath p, long jid) {
    long before = 0;
    while (true) {
      List<JournalRow> page = Await.result(journal.history(p.ns(), p.path(), before, PAGE));
      for (JournalRow row : page) {
        if (row.jid() <= jid) {
          if (row.jid() == jid && row.kind() == ChangeKind.PUT) {
            return row;
          }
          throw CairnException.notFound("no version " + jid + " of " + p.path());
        }
      }
      if (page.size() < PAGE) {
        throw CairnException.notFound("no version " + jid + " of " + p.path());
      }
      before = page.getLast().jid();
    }
  }
}
