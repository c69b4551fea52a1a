package io.cairn.files;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ContentHash;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The storage as request processing sees it: blocking calls over the {@link Journal} and the
 * {@link ChunkStore}, for virtual threads only. Failures are the storage's {@link
 * CairnException}s, unchanged, for {@link StatusTable} to map.
 *
 * <p>Also the hook for class 2 (the lock handlers): they resolve hrefs with {@link PathCodec} and
 * {@link DavMount}, check existence and ETags with {@link #entry}, and create the empty file that
 * a LOCK on an unmapped URL makes (RFC 4918 §7.3) with {@link #createEmptyFile}.
 */
public final class FileService {
  private final Journal journal;
  private final ContentUpload upload;
  private final ContentDownload download;

  public FileService(
      Journal journal,
      ChunkStore chunks,
      ChunkSplitter splitter,
      int uploadChunksInFlight,
      int readAheadChunks,
      Executor workers) {
    this.journal = journal;
    this.upload = new ContentUpload(chunks, splitter, uploadChunksInFlight, workers);
    this.download = new ContentDownload(chunks, readAheadChunks);
  }

  /** The live entry at {@code p}, or null when nothing lives there. */
  public Entry entry(FilePath p) {
    return Await.result(journal.entry(p.ns(), p.path()));
  }

  /** Up to {@code limit} children of the directory {@code dir} after the name {@code after}. */
  public List<Entry> children(FilePath dir, String after, int limit) {
    return Await.result(journal.children(dir.ns(), dir.path(), after, limit));
  }

  /** Commits one change to namespace {@code ns}; see {@link Journal#commit}. */
  public JournalRow commit(String ns, Change change, String author) {
    return Await.result(journal.commit(ns, change, author));
  }

  /** The dead properties of {@code p}. */
  public Map<PropertyName, String> properties(FilePath p) {
    return Await.result(journal.properties(p.ns(), p.path()));
  }

  /** Applies PROPPATCH changes in order, all or none. */
  public void patchProperties(FilePath p, List<PropertyChange> changes) {
    Await.result(journal.patchProperties(p.ns(), p.path(), changes));
  }

  /** The namespace's counters. */
  public NamespaceInfo namespace(String ns) {
    return Await.result(journal.namespace(ns));
  }

  /** Creates namespace {@code ns} unless it exists. */
  public void ensureNamespace(String ns) {
    try {
      Await.result(journal.createNamespace(ns));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  /**
   * Stores a body's chunks without committing anything; see {@link ContentUpload#upload}.
   *
   * @param expectedLength the announced length, or -1
   */
  public ContentUpload.Result upload(InputStream body, long expectedLength) throws IOException {
    return upload.upload(body, expectedLength);
  }

  /** Commits uploaded content as the file at {@code p}. */
  public JournalRow commitContent(FilePath p, ContentUpload.Result content, Expect expect, String author) {
    return commit(
        p.ns(),
        new Change.Put(
            p.path(), content.size(), content.contentHash(), content.blocklist(), null, expect),
        author);
  }

  /**
   * Creates an empty file at {@code p} (a LOCK on an unmapped URL, RFC 4918 §7.3). Use {@link
   * Expect#ABSENT} to leave an existing file alone (PRECONDITION_FAILED then).
   */
  public JournalRow createEmptyFile(FilePath p, Expect expect, String author) {
    return commit(
        p.ns(),
        new Change.Put(p.path(), 0, ContentHash.of(Blocklist.EMPTY), Blocklist.EMPTY, null, expect),
        author);
  }

  /** Writes {@code length} bytes of {@code file}'s content from {@code offset} to {@code out}. */
  public void download(Entry file, long offset, long length, OutputStream out) throws IOException {
    download.send(file.blocklist(), offset, length, out);
  }
}
