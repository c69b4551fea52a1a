package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Brings entries from the trash back into the tree as new commits that name the same blocklists
 * (no chunk is copied), after {@link FileService#restoreFromTrash} checked access, the target and
 * the quota.
 *
 * <p>A file comes back in one commit. A folder takes one commit per entry, so it is built under a
 * hidden staging name beside the target ({@value #STAGING_PREFIX}...) and moved to the target in
 * one last commit: the target never shows a half-restored folder, and a restore that fails half
 * way deletes its staging folder (which then sits in the trash like any deleted folder) and
 * leaves the target as it was.
 */
final class TrashRestore {
  static final String STAGING_PREFIX = ".cairn-restore-";
  /** The most entries one restore commits (one commit each, on the caller's request). */
  static final int MAX_ENTRIES = 100_000;

  private final Journal journal;
  private final QuotaCheck quota;
  private final FileLimits limits;
  private final Committer committer;

  TrashRestore(Journal journal, QuotaCheck quota, FileLimits limits, Committer committer) {
    this.journal = journal;
    this.quota = quota;
    this.limits = limits;
    this.committer = committer;
  }

  /**
   * What {@link FileService#restoreFromTrash} does: every refusal checked before any commit
   * (NOT_FOUND outside the view or for an unknown deleted version, FORBIDDEN on a read-only share
   * or across namespaces, PRECONDITION_FAILED when {@code target} is taken, FORBIDDEN or INVALID
   * when a path of a restored folder would be deeper or longer than {@link FileLimits} allow,
   * INSUFFICIENT_STORAGE past the quota), then the restore.
   */
  JournalRow restore(Caller caller, FilePath deleted, long deletedJid, FilePath target) {
    Access.readable(caller, deleted);
    Access.writable(caller, target);
    if (!deleted.ns().equals(target.ns())) {
      throw CairnException.forbidden("cannot restore into another namespace");
    }
    Access.requireNotRoot(target, "restore onto");
    if (deleted.isRoot()) {
      throw CairnException.notFound("the root is never deleted");
    }
    List<Entry> entries = Await.result(journal.trashed(deleted.ns(), deletedJid, deleted.path()));
    if (entries.isEmpty()) {
      throw CairnException.notFound("no deleted version " + deletedJid + " of " + deleted.path());
    }
    Versions.requireRetained(journal, deleted.ns(), deletedJid, "deleted version " + deletedJid + " of " + deleted.path());
    if (entries.size() > MAX_ENTRIES) {
      throw CairnException.invalid("a restore brings back at most " + MAX_ENTRIES
          + " files and folders at once; restore the deleted folder's subfolders one by one");
    }
    if (Await.result(journal.entry(target.ns(), target.path())) != null) {
      throw CairnException.preconditionFailed(target.path() + " exists");
    }
    limits.checkRestored(deleted, entries, target);
    quota.check(caller, target.ns(), 0, entries.stream().mapToLong(Entry::size).sum());
    return restore(caller.name(), deleted, entries, target);
  }

  /**
   * Restores {@code entries} (the trashed subtree rooted at {@code from}, parents first) at
   * {@code to}; answers the commit that made it visible there. PRECONDITION_FAILED when {@code to}
   * was taken meanwhile.
   */
  JournalRow restore(String author, FilePath from, List<Entry> entries, FilePath to) {
    Entry root = entries.getFirst();
    if (!root.isDirectory()) {
      return put(author, to.ns(), to.path(), root);
    }
    String staging = TreePaths.child(TreePaths.parent(to.path()), STAGING_PREFIX + randomSuffix());
    try {
      for (Entry e : entries) {
        String path = TreePaths.rebase(e.path(), from.path(), staging);
        if (e.isDirectory()) {
          commit(author, to.ns(), new Change.Mkdir(path));
        } else {
          put(author, to.ns(), path, e);
        }
      }
      return commit(author, to.ns(), new Change.Move(staging, to.path(), false, Expect.ANY));
    } catch (RuntimeException e) {
      discard(author, to.ns(), staging, e);
      throw e;
    }
  }

  private JournalRow put(String author, String ns, String path, Entry file) {
    return commit(author, ns, new Change.Put(path, file.size(), file.contentHash(),
        file.blocklist(), file.mtime(), Expect.ABSENT));
  }

  private JournalRow commit(String author, String ns, Change change) {
    try {
      return committer.commit(ns, change, author);
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.ALREADY_EXISTS) {
        throw CairnException.preconditionFailed(change.path() + " is taken");
      }
      throw e;
    }
  }

  private void discard(String author, String ns, String staging, RuntimeException cause) {
    try {
      if (Await.result(journal.entry(ns, staging)) != null) {
        committer.commit(ns, new Change.Delete(staging, Expect.ANY), author);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static String randomSuffix() {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
