package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import java.util.ArrayList;
import java.util.List;

/**
 * The quota on every path that adds bytes (a put, a blocklist commit, a copy, a restore): the
 * namespace's used bytes, less what the write replaces, plus what it adds, must fit the caller's
 * limit; INSUFFICIENT_STORAGE otherwise.
 */
final class QuotaCheck {
  /** Children read per page when a copy sums a folder's size. */
  private static final int PAGE = 1000;

  private final Journal journal;
  private final QuotaPolicy quota;

  QuotaCheck(Journal journal, QuotaPolicy quota) {
    this.journal = journal;
    this.quota = quota;
  }

  /** Whether {@code ns} has a limit for {@code caller} at all (no reads otherwise). */
  boolean limited(Caller caller, String ns) {
    return quota.limitFor(caller, ns) >= 0;
  }

  /** A file of {@code size} bytes at {@code p}, the version {@code current} there counted as freed. */
  void replacing(Caller caller, FilePath p, Entry current, long size) {
    check(caller, p.ns(), current == null || current.isDirectory() ? 0 : current.size(), size);
  }

  void check(Caller caller, String ns, long replaced, long size) {
    if (!limited(caller, ns)) {
      return;
    }
    long used = Await.result(journal.namespace(ns)).usedBytes();
    if (!quota.allows(caller, ns, used - replaced, size)) {
      throw new CairnException(CairnException.Kind.INSUFFICIENT_STORAGE, "the namespace's quota is exhausted");
    }
  }

  /** The bytes of the files at and below {@code p} (an entry there already read). */
  long treeBytes(FilePath p, Entry entry) {
    if (!entry.isDirectory()) {
      return entry.size();
    }
    long total = 0;
    List<String> folders = new ArrayList<>(List.of(p.path()));
    while (!folders.isEmpty()) {
      String dir = folders.remove(folders.size() - 1);
      String after = null;
      while (true) {
        List<Entry> page = Await.result(journal.children(p.ns(), dir, after, PAGE));
        for (Entry child : page) {
          if (child.isDirectory()) {
            folders.add(child.path());
          } else {
            total += child.size();
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        after = TreePaths.name(page.get(page.size() - 1).path());
      }
    }
    return total;
  }
}
