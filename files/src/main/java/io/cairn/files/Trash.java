package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import java.time.Clock;
import java.util.List;

/**
 * The trash side of {@link FileService}: what deletes and replacements removed, less what expired
 * (retention, ADR 0014), emptied by its owner or brought back through {@link TrashRestore}. Its
 * public methods' contracts are on {@link FileService}; blocking, thread-safe.
 */
final class Trash {
  private final Journal journal;
  private final FileLimits limits;
  private final TrashRestore restore;
  private final Clock clock;

  Trash(Journal journal, FileLimits limits, TrashRestore restore, Clock clock) {
    this.journal = journal;
    this.limits = limits;
    this.restore = restore;
    this.clock = clock;
  }

  /** {@link FileService#trash}. */
  List<TrashItem> list(Caller caller, FilePath dir, int limit) {
    Access.readable(caller, dir);
    return Versions.retainedTrash(journal, dir.ns(), Await.result(journal.trash(dir.ns(), dir.path(), limit)));
  }

  /** {@link FileService#emptyTrash}: only in the caller's home. */
  int empty(Caller caller, FilePath dir) {
    Access.writable(caller, dir);
    if (!dir.ns().equals(caller.home())) {
      throw CairnException.forbidden("the trash of a shared folder holds what others deleted too:"
          + " only retention empties it");
    }
    List<TrashItem> items = list(caller, dir, Integer.MAX_VALUE);
    Versions.expire(journal, dir.ns(), items.stream().map(TrashItem::jid).toList(), clock.instant());
    return items.size();
  }

  /** {@link FileService#trashed}. */
  List<Entry> trashed(Caller caller, FilePath p, long deletedJid) {
    Access.readable(caller, p);
    return Versions.retainedTrashed(journal, p, deletedJid);
  }

  /** {@link FileService#restoreFromTrash}; {@code to} null: where it was. */
  JournalRow restore(Caller caller, FilePath deleted, long deletedJid, FilePath to) {
    Access.writable(caller, to == null ? deleted : to);
    limits.checkIfAbsent(journal, to == null ? deleted : to);
    return restore.restore(caller, deleted, deletedJid, to == null ? deleted : to);
  }
}
