package io.cairn.files;

import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import java.util.List;
import java.util.function.Consumer;

/** Walks a folder's children a page at a time, for the checks that must see every one of them. */
final class Children {
  /** Entries read from the journal at a time. */
  static final int PAGE = 1000;

  private Children() {}

  /** Hands every child of {@code dir} in namespace {@code ns} to {@code each}, in name order. */
  static void each(Journal journal, String ns, String dir, Consumer<Entry> each) {
    String after = null;
    while (true) {
      List<Entry> page = Await.result(journal.children(ns, dir, after, PAGE));
      page.forEach(each);
      if (page.size() < PAGE) {
        return;
      }
      after = TreePaths.name(page.get(page.size() - 1).path());
    }
  }
}
