package io.cairn.files;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.storage.TrashItem;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The operations a user performs on their tree, the same for every front door (WebDAV, the sync
 * API, the web interface), with the rules every front inherits enforced here, once (design
 * invariant 9):
 *
 * <ul>
 *   <li>a caller reads only namespaces in their view ({@link Caller#canRead}); anything else is
 *       NOT_FOUND, so no path reveals that another namespace exists;
 *   <li>a caller changes only their home and read-write shares; a read-only share refuses every
 *       write with FORBIDDEN (403);
 *   <li>quota holds on every path that adds bytes (put, commit of a blocklist, copy) and so does
 *       the backing store's free space: INSUFFICIENT_STORAGE (507);
 *   <li>content is stored before the commit that names it, and a commit naming a chunk the store
 *       lacks commits nothing;
 *   <li>dedup is scoped (design invariant 7): a caller learns a chunk is present, reads it by
 *       hash or names it in a commit only when a version in a namespace they can read names it,
 *       or they uploaded it within the last hour; else it is missing, NOT_FOUND to read.
 * </ul>
 *
 * Blocking calls over the {@link Journal} and {@link ChunkStore}, for virtual threads only;
 * failures are {@link CairnException}s whose kind carries the HTTP status. Thread-safe.
 */
public final class FileService {
  private final Journal journal;
  private final UploadBudget budget;
  private final ContentUpload upload;
  private final Set<DigestType> digests;
  private final ContentDownload download;
  private final QuotaPolicy quota;
  private final QuotaCheck quotaCheck;
  private final List<Consumer<JournalRow>> onCommit = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ChunkScope scope;
  private final KnownDamage damage;
  private final FileLimits limits;
  private final FileHistory history;
  private final Trash trash;
  private final ContentCommits contents;
  private final TreeChanges tree;

  /**
   * @param clock the server's clock: how long an upload stays its uploader's to commit ({@link
   *     #missingChunks})
   * @param limits the operator's limits on what a request may create ({@link FileLimits#NONE})
   * @param digests the whole-file digests every upload computes ({@link DigestType#DEFAULT}); empty
   *     for none
   * @param damageRecordedOnlyHere no other process or node records or clears damaged chunks while
   *     this one runs (a single node on a local chunk directory, whose lock keeps {@code fsck
   *     --repair} out), and this node's scrub tells {@link #damageRecordedHere} of each record: a
   *     read of content then asks the journal about damage only for chunks recorded (ADR 0016)
   */
  public FileService(
      Journal journal,
      ChunkStore chunks,
      ChunkSplitter splitter,
      QuotaPolicy quota,
      int uploadChunksInFlight,
      int readAheadChunks,
      Executor workers,
      Clock clock,
      FileLimits limits,
      Set<DigestType> digests,
      boolean damageRecordedOnlyHere) {
    this.limits = limits;
    this.digests = Set.copyOf(digests);
    this.journal = journal;
    this.quota = quota;
    this.quotaCheck = new QuotaCheck(journal, quota, clock);
    this.damage = new KnownDamage(journal, clock, damageRecordedOnlyHere);
    ChunkStore healing = new HealingChunkStore(chunks, journal, damage); // an upload heals damage (ADR 0016)
    this.budget = UploadBudget.forHeap(Runtime.getRuntime().maxMemory(), splitter.maxChunk());
    this.upload = new ContentUpload(healing, journal.chunkDeletions(), splitter, uploadChunksInFlight, workers, budget);
    this.download = new ContentDownload(chunks, readAheadChunks);
    this.scope = new ChunkScope(journal, healing, damage, clock);
    DeletedChunks deleted = new DeletedChunks(journal.chunkDeletions(), chunks, clock);
    this.history = new FileHistory(journal, damage, quotaCheck, this::commit);
    this.trash = new Trash(journal, limits, new TrashRestore(journal, quotaCheck, limits, this::commit), clock);
    this.contents = new ContentCommits(journal, limits, quotaCheck, scope, deleted, this::commit);
    this.tree = new TreeChanges(journal, limits, quotaCheck, this::commit);
  }

  /** The quota policy, for fronts that report room (RFC 4331 properties, the web interface). */
  public QuotaPolicy quota() {
    return quota;
  }

  // ---- reading ----

  /** The live entry at {@code p}, or null when nothing lives there (or it is outside the view). */
  public Entry entry(Caller caller, FilePath p) {
    if (!caller.canRead(p.ns())) {
      return null;
    }
    return Await.result(journal.entry(p.ns(), p.path()));
  }

  /** Up to {@code limit} children of the folder {@code dir} after the name {@code after}. */
  public List<Entry> children(Caller caller, FilePath dir, String after, int limit) {
    Access.readable(caller, dir);
    return Await.result(journal.children(dir.ns(), dir.path(), after, limit));
  }

  /**
   * Up to {@code limit} children of the folder {@code dir} after the name {@code after}, without
   * their blocklists: for a listing that shows what they are (PROPFIND), not what they hold. Fails
   * as {@link #children} does.
   */
  public List<ListedEntry> listing(Caller caller, FilePath dir, String after, int limit) {
    Access.readable(caller, dir);
    return Await.result(journal.listing(dir.ns(), dir.path(), after, limit));
  }

  /**
   * Who last wrote each of {@code children} of the folder {@code dir} (the author of the commit
   * its version names), by that version; absent when the journal knows no author.
   */
  public Map<Long, String> authors(Caller caller, FilePath dir, List<Entry> children) {
    Access.readable(caller, dir);
    return Await.result(journal.authors(dir.ns(), children.stream().map(Entry::version).toList()));
  }

  /**
   * Refuses to list the folder {@code dir} in one answer when it holds more entries than the
   * operator allows one listing ({@link FileLimits#maxListing()}): INSUFFICIENT_STORAGE (507),
   * whose message says to list it a page at a time. For a front that answers a whole folder at once
   * (a WebDAV PROPFIND of Depth 1), before it writes anything; NOT_FOUND outside the view.
   */
  public void checkListing(Caller caller, FilePath dir) {
    Access.readable(caller, dir);
    limits.checkListing(journal, dir);
  }

  /** The dead properties of {@code p}. */
  public Map<PropertyName, String> properties(Caller caller, FilePath p) {
    Access.readable(caller, p);
    return ContentDigests.visible(Await.result(journal.properties(p.ns(), p.path())));
  }

  /**
   * The dead properties of {@code paths} of {@code dir}'s namespace, by path, in one read; none:
   * absent. The ones the server keeps for itself (every file's digests) are not even read.
   */
  public Map<String, Map<PropertyName, String>> properties(Caller caller, FilePath dir, List<String> paths) {
    Access.readable(caller, dir);
    return Await.result(journal.properties(dir.ns(), paths, ContentDigests.INTERNAL_NAMESPACE));
  }

  /** Namespace {@code ns}'s counters (bytes and entries used). */
  public NamespaceInfo usage(Caller caller, String ns) {
    Access.readable(caller, ns);
    return Await.result(journal.namespace(ns));
  }

  /**
   * What {@code ns} holds, live, versions and trash ({@link Journal#usage}: a pass over its
   * journal); NOT_FOUND unless {@code caller} may read it.
   */
  public NamespaceUsage storage(Caller caller, String ns) {
    Access.readable(caller, ns);
    return Await.result(journal.usage(ns));
  }

  /**
   * The bytes still free in {@code ns} for {@code caller}, whose live files take {@code usedBytes}:
   * quota left (history taken off too when the quota counts it), else the store's free space;
   * negative when unknown.
   */
  public long availableBytes(Caller caller, String ns, long usedBytes) {
    return quota.availableBytes(caller, ns, quotaCheck.countedBytes(caller, ns, usedBytes));
  }

  /**
   * Up to {@code limit} versions of {@code p}, newest first: every change that named its path (not
   * following renames; see {@link #history(Caller, FilePath, int, long)}).
   */
  public List<JournalRow> history(Caller caller, FilePath p, int limit) {
    return history.history(caller, p, limit);
  }

  /**
   * Up to {@code limit} journal rows of namespace {@code ns} after {@code afterJid}, ascending: the
   * changes a sync reader has not seen yet (design invariant 4). NOT_FOUND outside the view.
   */
  public List<JournalRow> changes(Caller caller, String ns, long afterJid, int limit) {
    return history.changes(caller, ns, afterJid, limit);
  }

  /**
   * A page of the history of what is (or was last) at {@code p}, newest first, following it back
   * through renames of itself and its folders ({@link Journal#history(String, String, long,
   * int)}): up to {@code limit} rows with jid below {@code beforeJid}. Pass the last jid of a page
   * as the next {@code beforeJid}; 0 for the newest page. NOT_FOUND outside the caller's view.
   */
  public List<JournalRow> history(Caller caller, FilePath p, int limit, long beforeJid) {
    return history.history(caller, p, limit, beforeJid);
  }

  /**
   * This node committed a record of chunk {@code hash} as damaged ({@code Journal.markDamaged}, the
   * scrub): reads refuse content naming it from now on, also where damage is known only here.
   */
  public void damageRecordedHere(ChunkHash hash) {
    damage.recordedHere(hash);
  }

  /** Which of {@code rows} of {@code p}'s namespace name a chunk recorded as damaged (ADR 0016). */
  public Set<Long> damaged(Caller caller, FilePath p, List<JournalRow> rows) {
    return history.damaged(caller, p, rows);
  }

  /** Which of {@code rows} of {@code p}'s namespace have expired (retention, ADR 0014). */
  public Set<Long> expired(Caller caller, FilePath p, List<JournalRow> rows) {
    return history.expired(caller, p, rows);
  }

  /**
   * The version of the file at {@code p} (following renames) that commit {@code jid} wrote: the
   * PUT row, whose size, content hash, blocklist, mtime, author and time are that version's, and
   * whose path is the one the file had then. NOT_FOUND when no PUT in {@code p}'s history has that
   * jid (a version made by a COPY has no content of its own), or outside the caller's view; GONE
   * when that version has expired (retention); DAMAGED when it names a chunk recorded as damaged
   * (ADR 0016).
   */
  public JournalRow version(Caller caller, FilePath p, long jid) {
    return history.version(caller, p, jid);
  }

  // ---- trash ----

  /**
   * Up to {@code limit} deleted files and folders at or below the folder {@code dir}, newest
   * deletion first ({@link Journal#trash}): what a Delete removed, or a Move or Copy replaced;
   * what has expired (retention) is not listed.
   * Paths are the namespace's; NOT_FOUND outside the caller's view.
   */
  public List<TrashItem> trash(Caller caller, FilePath dir, int limit) {
    return trash.list(caller, dir, limit);
  }

  /** The operator's limits on what a request may create. */
  public FileLimits limits() {
    return limits;
  }

  /**
   * Empties the trash at or below the folder {@code dir}: every item {@link #trash} lists there is
   * recorded as expired now (retention's record, ADR 0014), so it is listed no more and restoring
   * it answers GONE. The versions those items held expire at the next retention run and gc frees
   * their chunks once its grace has passed. Only in the caller's home: FORBIDDEN in a shared
   * namespace, whose trash holds what others deleted too (retention empties it); NOT_FOUND outside
   * the caller's view.
   *
   * @return how many items were emptied (folders count one each)
   */
  public int emptyTrash(Caller caller, FilePath dir) {
    return trash.empty(caller, dir);
  }

  /**
   * The entries at and below {@code p} among those the commit {@code deletedJid} removed, as they
   * were, parents before children ({@link Journal#trashed}): what a read-only view of the trash
   * shows and reads. Empty when that commit removed nothing there; NOT_FOUND outside the caller's
   * view; GONE when it has expired (retention).
   */
  public List<Entry> trashed(Caller caller, FilePath p, long deletedJid) {
    return trash.trashed(caller, p, deletedJid);
  }

  /**
   * Brings back the file, or the folder with its whole subtree as it was, that the commit {@code
   * deletedJid} removed at {@code deleted} (a part of a removed folder may be named too), at
   * {@code to} (null: where it was), naming the same chunks, as new versions; every refusal comes
   * before any commit ({@link TrashRestore#restore(Caller, FilePath, long, FilePath)}).
   *
   * @return the commit that made it visible at {@code to}
   */
  public JournalRow restoreFromTrash(Caller caller, FilePath deleted, long deletedJid, FilePath to) {
    return trash.restore(caller, deleted, deletedJid, to);
  }

  // ---- chunks (delta sync) ----

  /**
   * Which of {@code hashes} the caller must upload before a {@link #commitBlocklist} naming them
   * can succeed, in their order, each once: those the store lacks, and those the caller may not
   * claim (scoped dedup, see the class comment), which look exactly like the first.
   */
  public List<ChunkHash> missingChunks(Caller caller, List<ChunkHash> hashes) {
    return scope.missing(caller, hashes);
  }

  /**
   * Stores one chunk the caller uploads and records it as theirs for an hour. INVALID (400) when
   * the bytes do not hash to {@code hash}; INSUFFICIENT_STORAGE when the store is full. Nothing
   * counts against a quota until a commit names it.
   */
  public void storeChunk(Caller caller, ChunkHash hash, Buffer data) {
    requireStoreHolds(data.length());
    scope.store(caller, hash, data);
  }

  /**
   * The bytes of one chunk the caller may claim (scoped dedup); NOT_FOUND otherwise, the same
   * answer as for a chunk that does not exist; DAMAGED for a claimable chunk recorded as damaged.
   */
  public Buffer readChunk(Caller caller, ChunkHash hash) {
    return scope.read(caller, hash);
  }

  /**
   * Writes {@code length} bytes of {@code file}'s content from {@code offset} to {@code out}.
   * DAMAGED, before anything is written, when the content names a chunk recorded as damaged (ADR
   * 0016).
   */
  public void download(Entry file, long offset, long length, OutputStream out) throws IOException {
    if (length > 0) {
      DamagedContent.requireIntact(damage, "the content of " + file.path(), file.blocklist());
    }
    download.send(file.blocklist(), offset, length, out);
  }

  // ---- content ----

  /**
   * Refuses, before any byte of a body is read, a write of {@code size} bytes to {@code p} that
   * cannot fit: FORBIDDEN on a read-only share, INSUFFICIENT_STORAGE past the quota (counting the
   * {@code replaced} bytes of the version it overwrites as freed) or the store's free space.
   */
  public void checkRoom(Caller caller, FilePath p, long replaced, long size) {
    Access.writable(caller, p);
    requireStoreHolds(size);
    quotaCheck.check(caller, p.ns(), replaced, size);
  }

  /**
   * Waits for room in this node's upload budget for a body of {@code length} bytes read whole before
   * it is stored (a sync API chunk), so that such bodies queue with the uploads instead of beside
   * them; the caller closes the lease once the bytes are stored.
   *
   * @throws CairnException TRANSIENT (503 with Retry-After) when no room came in time
   * @throws InterruptedIOException when the waiting thread is interrupted (the server stops)
   */
  public UploadBudget.Lease reserveWholeBody(long length) throws InterruptedIOException {
    return budget.reserveWhole(length);
  }

  /**
   * Stores a body's chunks without committing anything; see {@link ContentUpload#upload}. TOO_LARGE
   * (413) past the largest upload ({@link FileLimits}): before any byte is read when the announced
   * length is, else once the bytes read are. The result carries the digests this server computes
   * ({@code upload.digests}).
   *
   * @param expectedLength the announced length, or -1
   */
  public ContentUpload.Result upload(InputStream body, long expectedLength) throws IOException {
    return upload(body, expectedLength, Set.of());
  }

  /**
   * As {@link #upload(InputStream, long)}, computing no whole-file digests: for a part of a staged
   * upload, whose digests nobody reads (its assembly computes the file's).
   */
  ContentUpload.Result uploadPart(InputStream body, long expectedLength) throws IOException {
    return store(body, expectedLength, Set.of());
  }

  /**
   * As {@link #upload(InputStream, long)}, computing the digests of {@code alsoDigest} too, beside
   * those this server computes: the types a client's claimed checksum names (WebDAV {@code
   * OC-Checksum}), so that it can be checked.
   */
  public ContentUpload.Result upload(InputStream body, long expectedLength, Set<DigestType> alsoDigest)
      throws IOException {
    return store(body, expectedLength, DigestType.union(digests, alsoDigest));
  }

  private ContentUpload.Result store(InputStream body, long expectedLength, Set<DigestType> digestTypes)
      throws IOException {
    limits.checkSize(expectedLength);
    return upload.upload(body, expectedLength, limits.maxUploadBytes(), digestTypes);
  }

  /**
   * Refuses, before any work, to create {@code p} where nothing lives yet when the operator's
   * limits forbid it ({@link FileLimits}): FORBIDDEN (403) past the deepest path,
   * INSUFFICIENT_STORAGE (507) in a folder holding the most entries. Every operation that creates
   * an entry checks it; a front calls it to refuse before reading a body.
   */
  public void checkNewEntry(Caller caller, FilePath p) {
    Access.writable(caller, p);
    limits.checkNewEntry(journal, p);
  }

  /** {@link #put(Caller, FilePath, ContentUpload.Result, Instant, Expect)} with the commit time as mtime. */
  public JournalRow put(Caller caller, FilePath p, ContentUpload.Result content, Expect expect) {
    return put(caller, p, content, null, expect);
  }

  /**
   * Commits uploaded content as the file at {@code p}, within the quota, and records its
   * whole-file digests when the upload computed them ({@link ContentDigests}).
   *
   * <p>The digests are set in the commit itself, as a dead property of the new version.
   *
   * <p>Content identical to the current file's (same content hash) with no other mtime is no new
   * version: nothing is committed and the answer is the row that last wrote the file ({@link
   * Unchanged}). A sync tool that uploads a file again (rclone after it lost its state, a client
   * retrying a PUT whose response it missed) then adds nothing to the history. Identical content
   * with another {@code mtime} is committed, as a row naming the same chunks: the mtime lives in
   * the entry, an entry changes only with a journal row, and clients following the journal learn
   * the new mtime only from one. It adds no bytes and no chunks.
   *
   * @param mtime the modification time the client set (WebDAV {@code X-OC-Mtime}), null for the
   *     commit time (and, for identical content, for "keep the current one")
   * @param expect what the commit holds to (see {@link Preconditions}); an unchanged file must meet
   *     it too (PRECONDITION_FAILED otherwise)
   * @throws CairnException TRANSIENT (503) when garbage collection deleted a chunk of the upload
   *     that it had found present, while it ran (ADR 0015): nothing is committed; sending the
   *     content again stores it again
   */
  public JournalRow put(Caller caller, FilePath p, ContentUpload.Result content, Instant mtime, Expect expect) {
    return contents.put(caller, p, content, mtime, expect, Await.result(journal.entry(p.ns(), p.path())));
  }

  /**
   * As {@link #put(Caller, FilePath, ContentUpload.Result, Instant, Expect)}, for a front that
   * read the entry at {@code p} before the body ({@link #entry}) and passes it on instead of having
   * it read again: the rules that need it (unchanged content, the limits on a new entry, the
   * replaced bytes the quota frees) take it as read then, as if the PUT had been decided then; the
   * commit itself still checks {@code expect} against the tree in its transaction.
   *
   * @param current the entry the caller read at {@code p}, null when nothing lived there
   */
  public JournalRow put(Caller caller, FilePath p, ContentUpload.Result content, Instant mtime, Expect expect,
      Entry current) {
    return contents.put(caller, p, content, mtime, expect, current);
  }

  /**
   * Sets the modification time of the file at {@code p} (WebDAV PROPPATCH of {@code
   * lastmodified}, as ownCloud clients and rclone send it) as a journal row naming the same
   * content, or nothing when it already has that mtime (to the millisecond); the row that last
   * wrote the file is the answer then. NOT_FOUND when nothing lives there, FORBIDDEN for a folder
   * (folders have no mtime of their own here).
   */
  public JournalRow setMtime(Caller caller, FilePath p, Instant mtime) {
    return contents.setMtime(caller, p, mtime);
  }

  /**
   * The whole-file digests recorded for the file {@code file} (the entry at {@code p}), or null
   * when none were recorded for its current content (a folder, content committed from a
   * blocklist, or digests of an older version).
   */
  public ContentDigests digests(Caller caller, FilePath p, EntryMetadata file) {
    Access.readable(caller, p);
    return file == null || file.isDirectory() ? null : ContentDigests.recorded(journal, p, file.contentHash());
  }

  /**
   * What {@link #commitBlocklist} answers: either the chunks the store lacks (nothing committed),
   * or the committed row.
   */
  public record Commit(List<ChunkHash> missing, JournalRow row) {
    public boolean committed() {
      return row != null;
    }
  }

  /**
   * Commits a file from a blocklist whose chunks the client uploaded earlier (delta sync): when any
   * of them is missing for this caller ({@link #missingChunks}: not stored, or not theirs to
   * claim), or garbage collection deleted it while this commit found it present (ADR 0015),
   * commits nothing and answers which; else commits within the quota. A blocklist of the
   * current file's content commits nothing, as for {@link #put}; content committed this way has
   * no whole-file digests.
   */
  public Commit commitBlocklist(Caller caller, FilePath p, Blocklist blocklist, Expect expect) {
    return commitBlocklist(caller, p, blocklist, null, expect);
  }

  /** As {@link #commitBlocklist(Caller, FilePath, Blocklist, Expect)}, with the client's mtime (null: now). */
  public Commit commitBlocklist(Caller caller, FilePath p, Blocklist blocklist, Instant mtime, Expect expect) {
    return contents.commitBlocklist(caller, p, blocklist, mtime, expect);
  }

  /**
   * Creates an empty file at {@code p} (a WebDAV LOCK on an unmapped URL, RFC 4918 §7.3). Use
   * {@link Expect#ABSENT} to leave an existing file alone (PRECONDITION_FAILED then).
   */
  public JournalRow createEmptyFile(Caller caller, FilePath p, Expect expect) {
    return contents.createEmptyFile(caller, p, expect);
  }

  // ---- the tree ----

  /** Creates the folder {@code p}; its parent must exist (CONFLICT), the name be free (ALREADY_EXISTS). */
  public JournalRow mkdir(Caller caller, FilePath p) {
    return tree.mkdir(caller, p);
  }

  /** Deletes the file or the folder with everything below it. */
  public JournalRow delete(Caller caller, FilePath p, Expect expect) {
    return tree.delete(caller, p, expect);
  }

  /**
   * Moves {@code from} to {@code to} in one commit; both must be in one namespace (a move between
   * namespaces would have to copy: FORBIDDEN). See {@link Change.Move} for the rules.
   */
  public JournalRow move(Caller caller, FilePath from, FilePath to, boolean overwrite, Expect expect) {
    return tree.move(caller, from, to, overwrite, expect);
  }

  /**
   * Copies {@code from} (a whole folder when {@code recursive}) to {@code to} in one commit, within
   * the quota: the copy names the same chunks, but it counts as bytes of the namespace.
   */
  public JournalRow copy(Caller caller, FilePath from, FilePath to, boolean overwrite, boolean recursive) {
    return tree.copy(caller, from, to, overwrite, recursive);
  }

  /**
   * Makes the version that journal row {@code jid} wrote the current content of {@code p} again,
   * as a new version (history keeps every step), within the quota. NOT_FOUND when no PUT in its
   * history has that jid ({@link #version}: a version from before a rename counts).
   *
   * @param expect what the commit holds to, as for {@link #put}
   */
  public JournalRow restore(Caller caller, FilePath p, long jid, Expect expect) {
    return history.restore(caller, p, jid, expect);
  }

  /**
   * Applies property changes in order, all or none. FORBIDDEN for a property only the server sets
   * ({@link ContentDigests#isInternal}).
   */
  public void patchProperties(Caller caller, FilePath p, List<PropertyChange> changes) {
    tree.patchProperties(caller, p, changes);
  }

  /** Creates namespace {@code ns} unless it exists (an administrative step, not a caller's). */
  public void ensureNamespace(String ns) {
    Await.result(journal.createNamespace(ns).recover(e -> e instanceof CairnException c
        && c.kind() == CairnException.Kind.ALREADY_EXISTS ? Future.succeededFuture() : Future.failedFuture(e)));
  }

  // ---- the rules ----

  /**
   * Refuses a change to {@code p} by {@code caller} before any work: NOT_FOUND outside their view,
   * FORBIDDEN on a read-only share. Every write here checks it ({@link Access}); a front calls it
   * too for what the files layer does not see (WebDAV locks) or to refuse early.
   */
  public void checkWritable(Caller caller, FilePath p) {
    Access.writable(caller, p);
  }

  /**
   * Refuses (TRANSIENT: 503, send it again) to commit {@code content} when garbage collection
   * deleted one of its chunks after the upload noted its deletion epoch (ADR 0015).
   */
  void requireKept(ContentUpload.Result content) {
    contents.requireKept(content);
  }

  /** Every commit of this service goes here: the journal's, then the listeners (the change feed). */
  private JournalRow commit(String ns, Change change, String author) {
    JournalRow row = Await.result(journal.commit(ns, change, author));
    for (Consumer<JournalRow> listener : onCommit) {
      listener.accept(row);
    }
    return row;
  }

  /** INSUFFICIENT_STORAGE (507) unless the backing store has room for {@code bytes} more. */
  private void requireStoreHolds(long bytes) {
    if (!quota.storeHolds(bytes)) {
      throw new CairnException(CairnException.Kind.INSUFFICIENT_STORAGE, "not enough free space on the server");
    }
  }

  /** Calls {@code listener} after every commit made through this service (the change feed). */
  public void onCommit(Consumer<JournalRow> listener) {
    onCommit.add(listener);
  }
}
