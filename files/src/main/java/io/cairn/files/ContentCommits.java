package io.cairn.files;

import io.cairn.core.Blocklist;
import io.cairn.core.BlockRef;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.ContentHash;
import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.PropertyChange;
import java.time.Instant;
import java.util.List;

/**
 * The content side of {@link FileService}'s writes: a file's content committed from an upload or a
 * blocklist, its mtime set, an empty file created, each within the limits and the quota, with
 * unchanged content committing nothing ({@link Unchanged}) and chunks garbage collection deleted
 * meanwhile refused (ADR 0015, {@link DeletedChunks}). Commits through {@link FileService}'s one
 * commit path; its public methods' contracts are on {@link FileService}; blocking, thread-safe.
 */
final class ContentCommits {
  private final Journal journal;
  private final FileLimits limits;
  private final QuotaCheck quotaCheck;
  private final ChunkScope scope;
  private final DeletedChunks deleted;
  private final Committer committer;

  ContentCommits(Journal journal, FileLimits limits, QuotaCheck quotaCheck, ChunkScope scope,
      DeletedChunks deleted, Committer committer) {
    this.journal = journal;
    this.limits = limits;
    this.quotaCheck = quotaCheck;
    this.scope = scope;
    this.deleted = deleted;
    this.committer = committer;
  }

  /** {@link FileService#put(Caller, FilePath, ContentUpload.Result, Instant, Expect, Entry)}. */
  JournalRow put(Caller caller, FilePath p, ContentUpload.Result content, Instant mtime, Expect expect,
      Entry current) {
    Access.writable(caller, p);
    ContentDigests digests = content.digests();
    JournalRow row = Unchanged.row(journal, p, current, content.contentHash(), mtime, expect);
    if (row != null) {
      if (digests != null) {
        digests.recordFor(journal, p, content.contentHash());
      }
      return row;
    }
    limits.checkSize(content.size());
    if (current == null) {
      limits.checkNewEntry(journal, p);
    }
    quotaCheck.replacing(caller, p, current, content.size());
    requireKept(content);
    List<PropertyChange> recorded = digests == null ? List.of()
        : List.of(new PropertyChange(ContentDigests.PROPERTY, digests.encode(content.contentHash())));
    return committer.commit(caller, p, new Change.Put(p.path(), content.size(), content.contentHash(),
        content.blocklist(), mtime, expect, recorded));
  }

  /** {@link FileService#setMtime}. */
  JournalRow setMtime(Caller caller, FilePath p, Instant mtime) {
    Access.writable(caller, p);
    Entry current = Await.result(journal.entry(p.ns(), p.path()));
    if (current == null) {
      throw CairnException.notFound("not found");
    }
    if (current.isDirectory()) {
      throw CairnException.forbidden("the modification time of a folder cannot be set");
    }
    JournalRow row = Unchanged.row(journal, p, current, current.contentHash(), mtime, Expect.ANY);
    if (row != null) {
      return row;
    }
    return committer.commit(caller, p, new Change.Put(p.path(), current.size(), current.contentHash(),
        current.blocklist(), mtime, Expect.version(current.version())));
  }

  /** {@link FileService#commitBlocklist(Caller, FilePath, Blocklist, Instant, Expect)}. */
  FileService.Commit commitBlocklist(Caller caller, FilePath p, Blocklist blocklist, Instant mtime, Expect expect) {
    Access.writable(caller, p);
    limits.checkSize(blocklist.size()); // before the client is asked for chunks it could never commit
    long since = deleted.epoch(); // before the chunks are found present (ADR 0015)
    List<ChunkHash> missing = scope.missing(caller, blocklist.blocks().stream().map(BlockRef::hash).toList());
    if (!missing.isEmpty()) {
      return new FileService.Commit(missing, null);
    }
    DeletedChunks.Check checked = checkSizesOrGone(caller, blocklist, since);
    if (!checked.gone().isEmpty()) {
      return new FileService.Commit(checked.gone(), null);
    }
    long size = blocklist.size();
    String contentHash = ContentHash.of(blocklist);
    Entry current = Await.result(journal.entry(p.ns(), p.path()));
    JournalRow row = Unchanged.row(journal, p, current, contentHash, mtime, expect);
    if (row == null) {
      if (current == null) {
        limits.checkNewEntry(journal, p);
      }
      quotaCheck.replacing(caller, p, current, size);
      Change.Put put = new Change.Put(p.path(), size, contentHash, blocklist, mtime, expect);
      // Checked again in the commit's transaction: its chunks may be present only because an
      // expired version names them, and nothing refreshed them (ADR 0015, case 8).
      return deleted.commit(checked, blocklist, epoch -> committer.commit(caller, p, put.keptSince(epoch)));
    }
    return new FileService.Commit(List.of(), row);
  }

  /** {@link FileService#createEmptyFile}. */
  JournalRow createEmptyFile(Caller caller, FilePath p, Expect expect) {
    Access.writable(caller, p);
    limits.checkIfAbsent(journal, p);
    return committer.commit(caller, p,
        new Change.Put(p.path(), 0, ContentHash.of(Blocklist.EMPTY), Blocklist.EMPTY, null, expect));
  }

  /**
   * Checks the sizes the blocklist gives ({@link ChunkScope#checkSizes}), then which of its chunks
   * garbage collection deleted since {@code since} ({@link DeletedChunks#beforeCommit}): a chunk
   * deleted after the presence check fails the size check's read, and is missing then, not
   * NOT_FOUND.
   */
  private DeletedChunks.Check checkSizesOrGone(Caller caller, Blocklist blocklist, long since) {
    try {
      scope.checkSizes(caller, blocklist);
    } catch (CairnException e) {
      List<ChunkHash> gone = e.kind() == CairnException.Kind.NOT_FOUND ? deleted.gone(since, blocklist) : List.of();
      if (gone.isEmpty()) {
        throw e;
      }
      return new DeletedChunks.Check(gone, since);
    }
    return deleted.beforeCommit(since, blocklist);
  }

  /**
   * Refuses (TRANSIENT: 503, send it again) to commit {@code content} when garbage collection
   * deleted one of its chunks after the upload noted its deletion epoch (ADR 0015).
   */
  void requireKept(ContentUpload.Result content) {
    deleted.requireNoneGone(content.deletionEpoch(), content.blocklist());
  }
}
