package io.cairn.server.api;

import io.cairn.files.Caller;
import io.cairn.files.FileService;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.storage.JournalRow;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what changed in a caller's view since a {@link Cursor}: the journal rows of their home and
 * of every share granted to them, each namespace in jid order, pages merged by commit time. A
 * cursor naming a namespace the caller can no longer read answers 410 {@code reset}; a namespace
 * granted since the cursor was made is read from its beginning.
 */
final class Changes {
  /** One page: the changes (with the namespace and jid of each) and the cursor after them. */
  record Page(List<Change> changes, Cursor cursor, boolean hasMore) {}

  /** One change and where it sits in its namespace's journal. */
  record Change(JournalRow row, JsonObject json) {}

  private final FileService files;

  Changes(FileService files) {
    this.files = files;
  }

  /** The namespaces {@code caller} sees: their home, then their shares. */
  static Set<String> namespaces(Caller caller) {
    Set<String> out = new LinkedHashSet<>();
    out.add(caller.home());
    caller.shares().forEach(s -> out.add(s.ns()));
    return out;
  }

  /** The cursor for "now": every namespace at its newest jid. */
  Cursor now(Caller caller) {
    Cursor c = new Cursor(caller.name(), java.util.Map.of());
    for (String ns : namespaces(caller)) {
      c = c.with(ns, files.usage(caller, ns).lastJid());
    }
    return c;
  }

  /** Up to {@code limit} changes after {@code cursor}. */
  Page read(Caller caller, Cursor cursor, int limit, boolean blocklists) {
    Set<String> view = namespaces(caller);
    for (String ns : cursor.positions().keySet()) {
      if (!view.contains(ns)) {
        throw new Refusal(410, "reset", "this cursor covers a folder you can no longer read; start again from GET cursor");
      }
    }
    List<List<JournalRow>> pages = new ArrayList<>();
    boolean more = false;
    for (String ns : view) {
      List<JournalRow> page = files.changes(caller, ns, cursor.at(ns), limit + 1);
      more |= page.size() > limit;
      pages.add(page.subList(0, Math.min(limit, page.size())));
    }
    List<JournalRow> rows = merge(pages, limit);
    more |= pages.stream().mapToInt(List::size).sum() > rows.size();
    Cursor next = cursor;
    for (String ns : view) {
      next = next.with(ns, cursor.at(ns));
    }
    List<Change> out = new ArrayList<>(rows.size());
    for (JournalRow row : rows) {
      next = next.with(row.ns(), row.jid());
      JsonObject json = ApiJson.change(caller, row, blocklists);
      if (json != null) {
        out.add(new Change(row, json));
      }
    }
    return new Page(out, next, more);
  }

  /**
   * Up to {@code limit} rows taken from the heads of {@code pages} (each in its namespace's jid
   * order), the earliest commit first: whatever is cut, each namespace keeps a prefix of its
   * journal, so a cursor never skips a row (clocks of different nodes may disagree; jids do not).
   */
  private static List<JournalRow> merge(List<List<JournalRow>> pages, int limit) {
    int[] next = new int[pages.size()];
    List<JournalRow> out = new ArrayList<>();
    while (out.size() < limit) {
      int best = -1;
      for (int i = 0; i < pages.size(); i++) {
        if (next[i] < pages.get(i).size()
            && (best < 0 || pages.get(i).get(next[i]).at().isBefore(pages.get(best).get(next[best]).at()))) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      out.add(pages.get(best).get(next[best]++));
    }
    return out;
  }
}
