package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The quota on every path that adds bytes (a put, a blocklist commit, a copy, a restore): the
 * namespace's used bytes, less what the write replaces, plus what it adds, must fit the caller's
 * limit; INSUFFICIENT_STORAGE otherwise. When the quota counts history ({@link
 * QuotaPolicy#countsHistory}) the used bytes include the retained versions and the trash, and
 * what a write replaces is not freed: it becomes a version (or trash).
 */
final class QuotaCheck {
  private final Journal journal;
  private final QuotaPolicy quota;
  private final HistoryBytes history;

  QuotaCheck(Journal journal, QuotaPolicy quota, Clock clock) {
    this.journal = journal;
    this.quota = quota;
    this.history = new HistoryBytes(journal, clock);
  }

  /** Whether {@code ns} has a limit for {@code caller} at all (no reads otherwise). */
  boolean limited(Caller caller, String ns) {
    return quota.limitFor(caller, ns) >= 0;
  }

  /** A file of {@code size} bytes at {@code p}, the version {@code current} there counted as freed unless history counts. */
  void replacing(Caller caller, FilePath p, Entry current, long size) {
    beforeCommit(caller, p.ns(), current == null || current.isDirectory() ? 0 : current.size(), size);
  }

  /**
   * {@link #check}, right before the commit it allows: with history counted, the {@code replaced}
   * bytes are history from now on (once per write; an early check such as a PUT's before its body
   * must not call this).
   */
  void beforeCommit(Caller caller, String ns, long replaced, long size) {
    check(caller, ns, replaced, size);
    if (quota.countsHistory()) {
      history.displaced(ns, replaced);
    }
  }

  void check(Caller caller, String ns, long replaced, long size) {
    if (!limited(caller, ns)) {
      return;
    }
    long used = Await.result(journal.namespace(ns)).usedBytes();
    long freed = replaced;
    if (quota.countsHistory()) {
      used += history.of(ns);
      freed = 0;
    }
    if (!quota.allows(caller, ns, used - freed, size)) {
      throw new CairnException(CairnException.Kind.INSUFFICIENT_STORAGE, "the namespace's quota is exhausted");
    }
  }

  /**
   * The bytes of {@code ns} that count against {@code caller}'s quota there: its live files, and
   * with {@link QuotaPolicy#countsHistory} its history too; {@code liveBytes} already read.
   */
  long countedBytes(Caller caller, String ns, long liveBytes) {
    return quota.countsHistory() && limited(caller, ns) ? liveBytes + history.of(ns) : liveBytes;
  }

  /** The bytes of the files at and below {@code p} (an entry there already read). */
  long treeBytes(FilePath p, Entry entry) {
    if (!entry.isDirectory()) {
      return entry.size();
    }
    List<String> folders = new ArrayList<>(List.of(p.path()));
    long[] total = {0};
    while (!folders.isEmpty()) {
      Children.each(journal, p.ns(), folders.remove(folders.size() - 1), child -> {
        if (child.isDirectory()) {
          folders.add(child.path());
        } else {
          total[0] += child.size();
        }
      });
    }
    return total[0];
  }
}
