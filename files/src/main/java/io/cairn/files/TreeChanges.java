package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.PropertyChange;
import java.util.List;

/**
 * The tree side of {@link FileService}'s writes: folders made, entries deleted, moved and copied
 * within the limits and the quota, and dead properties patched. Commits through {@link
 * FileService}'s one commit path; its public methods' contracts are on {@link FileService};
 * blocking, thread-safe.
 */
final class TreeChanges {
  private final Journal journal;
  private final FileLimits limits;
  private final QuotaCheck quotaCheck;
  private final Committer committer;

  TreeChanges(Journal journal, FileLimits limits, QuotaCheck quotaCheck, Committer committer) {
    this.journal = journal;
    this.limits = limits;
    this.quotaCheck = quotaCheck;
    this.committer = committer;
  }

  /** {@link FileService#mkdir}. */
  JournalRow mkdir(Caller caller, FilePath p) {
    Access.writable(caller, p);
    limits.checkIfAbsent(journal, p);
    return committer.commit(caller, p, new Change.Mkdir(p.path()));
  }

  /** {@link FileService#delete}. */
  JournalRow delete(Caller caller, FilePath p, Expect expect) {
    Access.writable(caller, p);
    Access.requireNotRoot(p, "delete");
    return committer.commit(caller, p, new Change.Delete(p.path(), expect));
  }

  /** {@link FileService#move}. */
  JournalRow move(Caller caller, FilePath from, FilePath to, boolean overwrite, Expect expect) {
    Access.sameNamespace(caller, from, to, "move");
    if (!TreePaths.parent(from.path()).equals(TreePaths.parent(to.path()))) {
      limits.checkIfAbsent(journal, to);
      limits.checkSubtree(journal, from, to);
    } else { // a rename adds no entry, but may lengthen names and paths
      limits.checkRename(journal, from, to);
    }
    return committer.commit(caller, from, new Change.Move(from.path(), to.path(), overwrite, expect));
  }

  /** {@link FileService#copy}: the copy names the same chunks, but counts against the quota. */
  JournalRow copy(Caller caller, FilePath from, FilePath to, boolean overwrite, boolean recursive) {
    Access.sameNamespace(caller, from, to, "copy");
    limits.checkIfAbsent(journal, to);
    if (recursive) {
      limits.checkSubtree(journal, from, to);
    }
    Entry source = Await.result(journal.entry(from.ns(), from.path()));
    if (source != null && quotaCheck.limited(caller, to.ns())) {
      Entry replaced = Await.result(journal.entry(to.ns(), to.path()));
      long freed = replaced == null ? 0 : quotaCheck.treeBytes(to, replaced);
      quotaCheck.beforeCommit(caller, to.ns(), freed, recursive ? quotaCheck.treeBytes(from, source) : source.isDirectory() ? 0 : source.size());
    }
    return committer.commit(caller, from, new Change.Copy(from.path(), to.path(), overwrite, recursive));
  }

  /** {@link FileService#patchProperties}: FORBIDDEN for a property only the server sets. */
  void patchProperties(Caller caller, FilePath p, List<PropertyChange> changes) {
    Access.writable(caller, p);
    for (PropertyChange c : changes) {
      if (ContentDigests.isInternal(c.name())) {
        throw CairnException.forbidden("the property " + c.name().localName() + " is the server's own");
      }
    }
    Await.result(journal.patchProperties(p.ns(), p.path(), changes));
  }
}
