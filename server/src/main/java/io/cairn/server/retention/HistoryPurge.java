package io.cairn.server.retention;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * An admin's purge of one file's history (a leaked secret must be removable, ADR 0014): every
 * version in the history of a path (following renames) but the live one's, and optionally every
 * trash item at or below the path, is recorded as expired at once. History then lists them as
 * expired, reading or restoring them answers 410, and the first gc run that starts {@code
 * gc.grace.hours} later deletes the chunks no retained version shares. Blocking; never on an event
 * loop. Failures are the journal's {@link CairnException}s (NOT_FOUND for an unknown namespace,
 * CONFLICT for an invalid path).
 */
public final class HistoryPurge {
  /** What a purge recorded as expired: versions and trash items (their jids). */
  public record Purged(List<Long> versions, List<Long> trash) {}

  private static final int PAGE = 1_000;

  private final Journal journal;
  private final Clock clock;

  public HistoryPurge(Journal journal, Clock clock) {
    this.journal = journal;
    this.clock = clock;
  }

  /** Expires the history of {@code path} in {@code ns}; with {@code trash} its trash too. */
  public Purged purge(String ns, String path, boolean trash) {
    Await.result(journal.namespace(ns));
    Entry live = Await.result(journal.entry(ns, path));
    List<Long> versions = new ArrayList<>();
    boolean currentSeen = false;
    long before = 0;
    while (true) {
      List<JournalRow> page = Await.result(journal.history(ns, path, before, PAGE));
      for (JournalRow row : page) {
        if (row.kind() != ChangeKind.PUT) {
          continue;
        }
        // The live content's own row stays: it is the file as it is now (its newest PUT, or the
        // one its entry names), whatever moves or copies brought it to this path.
        boolean current = live != null && !live.isDirectory() && !currentSeen
            && (row.jid() == live.version() || row.contentHash() != null && row.contentHash().equals(live.contentHash()));
        currentSeen |= current;
        if (!current) {
          versions.add(row.jid());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      before = page.getLast().jid();
    }
    List<Long> trashed = new ArrayList<>();
    if (trash) {
      for (TrashItem item : Await.result(journal.trash(ns, path, Integer.MAX_VALUE))) {
        trashed.add(item.jid());
      }
    }
    List<Long> all = new ArrayList<>(versions);
    all.addAll(trashed);
    for (int from = 0; from < all.size(); from += PAGE) {
      Await.result(journal.expire(ns, all.subList(from, Math.min(all.size(), from + PAGE)), clock.instant()));
    }
    return new Purged(versions, trashed);
  }
}
