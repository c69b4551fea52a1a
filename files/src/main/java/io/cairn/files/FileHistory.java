package io.cairn.files;

import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import java.util.List;
import java.util.Set;

/**
 * The history side of {@link FileService}: a file's versions and a namespace's changes as the
 * journal keeps them, which of them expired (retention, ADR 0014) or name damaged chunks (ADR
 * 0016), and a restore of an old version as a new one. Its public methods' contracts are on
 * {@link FileService}; blocking, thread-safe.
 */
final class FileHistory {
  private final Journal journal;
  private final KnownDamage damage;
  private final QuotaCheck quotaCheck;
  private final Committer committer;

  FileHistory(Journal journal, KnownDamage damage, QuotaCheck quotaCheck, Committer committer) {
    this.journal = journal;
    this.damage = damage;
    this.quotaCheck = quotaCheck;
    this.committer = committer;
  }

  /** {@link FileService#history(Caller, FilePath, int)}. */
  List<JournalRow> history(Caller caller, FilePath p, int limit) {
    Access.readable(caller, p);
    return Await.result(journal.history(p.ns(), p.path(), limit));
  }

  /** {@link FileService#changes}. */
  List<JournalRow> changes(Caller caller, String ns, long afterJid, int limit) {
    Access.readable(caller, ns);
    return Await.result(journal.changes(ns, afterJid, limit));
  }

  /** {@link FileService#history(Caller, FilePath, int, long)}. */
  List<JournalRow> history(Caller caller, FilePath p, int limit, long beforeJid) {
    Access.readable(caller, p);
    return Await.result(journal.history(p.ns(), p.path(), beforeJid, limit));
  }

  /** {@link FileService#damaged}. */
  Set<Long> damaged(Caller caller, FilePath p, List<JournalRow> rows) {
    Access.readable(caller, p);
    return DamagedContent.damagedRows(damage, rows);
  }

  /** {@link FileService#expired}. */
  Set<Long> expired(Caller caller, FilePath p, List<JournalRow> rows) {
    Access.readable(caller, p);
    return Versions.expired(journal, p.ns(), rows.stream().map(JournalRow::jid).toList());
  }

  /** {@link FileService#version}. */
  JournalRow version(Caller caller, FilePath p, long jid) {
    Access.readable(caller, p);
    JournalRow row = Versions.find(journal, p, jid);
    DamagedContent.requireIntact(damage, "version " + jid + " of " + row.path(), row.blocklist());
    return row;
  }

  /** {@link FileService#restore}: a new version naming the old one's chunks, within the quota. */
  JournalRow restore(Caller caller, FilePath p, long jid, Expect expect) {
    Access.writable(caller, p);
    JournalRow version = version(caller, p, jid);
    quotaCheck.replacing(caller, p, Await.result(journal.entry(p.ns(), p.path())), version.size());
    return committer.commit(caller, p, new Change.Put(
        p.path(), version.size(), version.contentHash(), version.blocklist(), null, expect));
  }
}
