package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.TrashItem;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Finds one retained version of a file in its history, following renames, and tells expired ones
 * (retention, ADR 0014) from retained ones.
 */
final class Versions {
  /** Versions read per page while looking. */
  private static final int PAGE = 1000;

  private Versions() {}

  /** Fails with GONE when what commit {@code jid} of {@code ns} retained has expired. */
  static void requireRetained(Journal journal, String ns, long jid, String what) {
    if (!Await.result(journal.expired(ns, List.of(jid))).isEmpty()) {
      throw CairnException.gone(what + " has expired (retention) and can no longer be read or restored");
    }
  }

  /** Which of {@code jids} of {@code ns} have expired. */
  static Set<Long> expired(Journal journal, String ns, Collection<Long> jids) {
    return jids.isEmpty() ? Set.of() : Await.result(journal.expired(ns, jids)).keySet();
  }

  /** Records {@code jids} of {@code ns} as expired at {@code at}, a page of them at a time. */
  static void expire(Journal journal, String ns, List<Long> jids, java.time.Instant at) {
    for (int from = 0; from < jids.size(); from += PAGE) {
      Await.result(journal.expire(ns, jids.subList(from, Math.min(jids.size(), from + PAGE)), at));
    }
  }

  /** {@code items} less those that expired. */
  static List<TrashItem> retainedTrash(Journal journal, String ns, List<TrashItem> items) {
    Set<Long> gone = expired(journal, ns, items.stream().map(TrashItem::jid).toList());
    return gone.isEmpty() ? items : items.stream().filter(t -> !gone.contains(t.jid())).toList();
  }

  /** {@link Journal#trashed}, GONE when that trash item expired. */
  static List<Entry> retainedTrashed(Journal journal, FilePath p, long deletedJid) {
    List<Entry> entries = Await.result(journal.trashed(p.ns(), deletedJid, p.path()));
    if (!entries.isEmpty()) {
      requireRetained(journal, p.ns(), deletedJid, "deleted version " + deletedJid + " of " + p.path());
    }
    return entries;
  }

  /** The PUT row {@code jid} in the history of {@code p}; NOT_FOUND when there is none. */
  static JournalRow find(Journal journal, FilePath p, long jid) {
    long before = 0;
    while (true) {
      List<JournalRow> page = Await.result(journal.history(p.ns(), p.path(), before, PAGE));
      for (JournalRow row : page) {
        if (row.jid() <= jid) {
          if (row.jid() == jid && row.kind() == ChangeKind.PUT) {
            requireRetained(journal, p.ns(), jid, "version " + jid + " of " + p.path());
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
