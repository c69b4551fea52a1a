package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunker;
import io.cairn.files.Await;
import io.cairn.files.Caller;
import io.cairn.files.ChunkSplitter;
import io.cairn.files.ContentUpload;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.QuotaPolicy;
import io.cairn.server.fsck.Fsck;
import io.cairn.server.gc.GarbageCollector;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.ForwardingChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.StoredChunk;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window of ADR 0015, driven directly: a gc run is stopped by a latch after it announced a
 * batch of deletions and decided to delete an orphan, before the store's own check and deletion;
 * meanwhile an upload finds the orphan's chunks present; then gc deletes them, and the upload
 * commits. Its commit must not name a deleted chunk: it is refused as retryable (503 for a PUT,
 * 409 missing_chunks for the sync API), the retry stores the chunks again, and the file reads back
 * whole. gc's clock runs two days ahead, so that its own re-check of a chunk's age cannot save the
 * chunk: what is tested is the deletion record alone. Two last cases stop gc after its mark instead:
 * a sync commit then names chunks that only a version retention expired named, which the mark did
 * not keep; gc's re-read of what was committed since its mark must keep them, and a commit that
 * checked before gc's announcement and writes after its re-read must not name them deleted (ADR
 * 0015, cases 6 and 8). Each backend pair
 * subclasses this with a fresh journal and chunk store per test.
 */
abstract class GcWindowContract {
  private static final Duration GRACE = Duration.ofHours(3);
  private static final long WAIT_SECONDS = 60;

  /** A fresh journal, unique to this test. */
  abstract Journal journal() throws Exception;

  /** A fresh chunk store, unique to this test. */
  abstract ChunkStore chunks() throws Exception;

  private Journal journal;
  private PausingCommits commits;
  private LatchedStore store;
  private ExecutorService workers;
  private FileService files;
  private final Caller alice = new Caller("alice", "home:alice", -1);

  @BeforeEach
  void open() throws Exception {
    journal = journal();
    store = new LatchedStore(chunks());
    workers = Executors.newVirtualThreadPerTaskExecutor();
    commits = new PausingCommits(journal);
    files = new FileService(commits.journal(), store, ChunkSplitter.of(Chunker.DEFAULT), QuotaPolicy.NONE, 4, 2, workers,
        Clock.systemUTC(), io.cairn.files.FileLimits.NONE, io.cairn.files.DigestType.DEFAULT, false);
    files.ensureNamespace(alice.home());
  }

  @AfterEach
  void close() {
    workers.close();
    store.close();
    journal.close();
  }

  @Test
  void aPutThatFoundChunksPresentWhichGcThenDeletedIsRefusedAndItsRetryReadsBackWhole() throws Exception {
    byte[] content = random(1, 3 * 1024 * 1024 + 17);
    files.upload(new ByteArrayInputStream(content), content.length); // an abandoned upload: orphans
    Thread gc = gcStoppedBeforeItsFirstDeletion();
    ContentUpload.Result relied = upload(content); // every chunk found present
    store.go.countDown();
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(gc.isAlive());
    assertEquals(relied.blocklist().blocks().size(), Await.result(store.missing(hashes(relied.blocklist()))).size(),
        "gc deleted every chunk the upload relied on");
    CairnException refused = assertThrows(CairnException.class, () -> put("/big.bin", relied));
    assertEquals(CairnException.Kind.TRANSIENT, refused.kind(), refused.getMessage());
    assertEquals(null, files.entry(alice, at("/big.bin")), "nothing committed");
    put("/big.bin", upload(content));
    assertReadsBack("/big.bin", content);
  }

  @Test
  void aSyncCommitWhoseChunkGcDeletedAfterItsPresenceCheckAnswersMissingChunksAndTheRetryReadsBackWhole()
      throws Exception {
    byte[] content = random(2, 90_000);
    ChunkHash chunk = ChunkHash.sha256(content);
    files.storeChunk(alice, chunk, Buffer.buffer(content));
    assertEquals(List.of(), files.missingChunks(alice, List.of(chunk)), "told present: alice uploaded it");
    Thread gc = gcStoppedBeforeItsFirstDeletion();
    store.letGcDeleteAfterThePresenceCheck(gc);
    Blocklist blocklist = new Blocklist(List.of(new BlockRef(chunk, content.length)));
    FileService.Commit refused = files.commitBlocklist(alice, at("/small.bin"), blocklist, Expect.ANY);
    assertFalse(gc.isAlive());
    assertEquals(List.of(chunk), refused.missing(), "409 missing_chunks: upload it again");
    assertEquals(null, files.entry(alice, at("/small.bin")), "nothing committed");
    files.storeChunk(alice, chunk, Buffer.buffer(content));
    assertTrue(files.commitBlocklist(alice, at("/small.bin"), blocklist, Expect.ANY).committed());
    assertReadsBack("/small.bin", content);
  }

  @Test
  void aCommitDuringTheBatchThatDeletesItsChunksWaitsForItAndIsRefused() throws Exception {
    byte[] content = random(3, 1024 * 1024);
    files.upload(new ByteArrayInputStream(content), content.length);
    Thread gc = gcStoppedBeforeItsFirstDeletion();
    ContentUpload.Result relied = upload(content);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread commit = Thread.ofVirtual().start(() -> {
      try {
        put("/during.bin", relied);
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    store.go.countDown(); // while the commit checks, or before: either way the chunks go
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    commit.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(commit.isAlive());
    assertTrue(outcome.get() instanceof CairnException e && e.kind() == CairnException.Kind.TRANSIENT,
        "refused as retryable: " + outcome.get());
    put("/during.bin", upload(content));
    assertReadsBack("/during.bin", content);
  }

  @Test
  void aCommitWhoseDeletedChunksWereStoredAgainMeanwhileGoesAhead() throws Exception {
    byte[] content = random(4, 2 * 1024 * 1024);
    files.upload(new ByteArrayInputStream(content), content.length);
    Thread gc = gcStoppedBeforeItsFirstDeletion();
    ContentUpload.Result relied = upload(content);
    store.go.countDown();
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(gc.isAlive());
    upload(content); // another upload of the same content stores the chunks again
    put("/again.bin", relied); // suspect, but stored: committed
    assertReadsBack("/again.bin", content);
  }

  @Test
  void aSyncCommitDuringARunNamingChunksOnlyAnExpiredVersionNamedKeepsThemAndReadsBackWhole() throws Exception {
    byte[] content = random(5, 2 * 1024 * 1024);
    ContentUpload.Result first = expiredVersionOf(content);
    store.stopGcAfterItsMark();
    Thread gc = gcStarted();
    assertTrue(store.marked.await(WAIT_SECONDS, TimeUnit.SECONDS), "gc marked");
    List<ChunkHash> named = hashes(first.blocklist());
    assertEquals(List.of(), files.missingChunks(alice, named), "told present: the expired version names them");
    assertTrue(files.commitBlocklist(alice, at("/new.bin"), first.blocklist(), Expect.ANY).committed());
    store.sweep.countDown();
    store.go.countDown();
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(gc.isAlive());
    assertReadsBack("/new.bin", content);
    assertFsckVerifyIsClean();
  }

  @Test
  void aSyncCommitIntoANamespaceCreatedAfterGcMarkedNamingChunksOnlyAnExpiredVersionNamedKeepsThem() throws Exception {
    byte[] content = random(9, 2 * 1024 * 1024);
    Blocklist blocklist = expiredVersionOf(content).blocklist();
    store.stopGcAfterItsMark();
    Thread gc = gcStarted();
    assertTrue(store.marked.await(WAIT_SECONDS, TimeUnit.SECONDS), "gc marked");
    Caller bob = new Caller("bob", "home:bob", -1, List.of(new Caller.Share("alice", alice.home(), false)));
    files.ensureNamespace(bob.home()); // after the mark: gc has read none of its rows
    assertEquals(List.of(), files.missingChunks(bob, hashes(blocklist)), "told present: a version bob reads names them");
    FilePath copy = new FilePath(bob.home(), "/copy.bin");
    assertTrue(files.commitBlocklist(bob, copy, blocklist, Expect.ANY).committed());
    store.sweep.countDown();
    store.go.countDown();
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(gc.isAlive());
    assertReadsBack(bob, copy, content);
    assertFsckVerifyIsClean();
  }

  /** Puts {@code content} at /old.bin, overwrites it, and expires that first version (two days before gc's clock). */
  private ContentUpload.Result expiredVersionOf(byte[] content) throws IOException {
    ContentUpload.Result first = upload(content);
    put("/old.bin", first);
    put("/old.bin", upload(random(6, 1000))); // the first version is no longer the file's content
    long firstJid = Await.result(journal.history(alice.home(), "/old.bin", 10)).getLast().jid();
    Await.result(journal.expire(alice.home(), List.of(firstJid), Instant.now()));
    return first;
  }

  /**
   * ADR 0015, case 8: a sync commit checks the record of deletions before gc announces a batch
   * naming its chunks (K &lt; A), and its row would land after gc's re-read of the namespace (R &lt;
   * W). The commit is held between the files layer's check and its journal commit until gc has
   * announced, re-read, deleted and ended the batch. Its chunks are named only by a version that
   * expired two days before gc's clock, so nothing but the commit keeps them.
   */
  @Test
  void aSyncCommitThatCheckedBeforeGcAnnouncedAndWritesAfterGcReReadNeverNamesADeletedChunk() throws Exception {
    byte[] content = random(7, 2 * 1024 * 1024);
    ContentUpload.Result first = expiredVersionOf(content);
    store.stopGcAfterItsMark();
    Thread gc = gcStarted();
    assertTrue(store.marked.await(WAIT_SECONDS, TimeUnit.SECONDS), "gc marked");
    Blocklist blocklist = first.blocklist();
    assertEquals(List.of(), files.missingChunks(alice, hashes(blocklist)), "told present: the expired version names them");
    commits.pauseTheNextCommit();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread commit = Thread.ofVirtual().start(() -> {
      try {
        outcome.set(files.commitBlocklist(alice, at("/new.bin"), blocklist, Expect.ANY));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    assertTrue(commits.paused.await(WAIT_SECONDS, TimeUnit.SECONDS), "the commit checked and is about to commit");
    store.sweep.countDown(); // gc lists the store, announces the orphans (A) and re-reads the journal (R)
    assertTrue(store.reached.await(WAIT_SECONDS, TimeUnit.SECONDS), "gc re-read the journal and deletes");
    store.go.countDown();
    gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(gc.isAlive());
    assertEquals(Set.copyOf(hashes(blocklist)), Await.result(store.missing(hashes(blocklist))),
        "gc deleted every chunk the commit names");
    commits.go.countDown(); // the commit goes on to write its row (W) after gc's re-read
    commit.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(commit.isAlive());
    assertFalse(outcome.get() instanceof FileService.Commit c && c.committed(),
        "a commit naming chunks gc deleted is refused, not acknowledged");
    assertEquals(null, files.entry(alice, at("/new.bin")), "refused, nothing committed: " + outcome.get());
    commitAsCairnSyncWould("/new.bin", content, blocklist, outcome.get());
    assertReadsBack("/new.bin", content);
    assertFsckVerifyIsClean();
  }

  /**
   * After a refusal {@code refused}: 409 missing_chunks sends the chunks named and commits again;
   * 503 commits again (then, if chunks are missing, sends them and commits once more).
   */
  private void commitAsCairnSyncWould(String path, byte[] content, Blocklist blocklist, Object refused) {
    List<ChunkHash> missing;
    if (refused instanceof FileService.Commit c) {
      missing = c.missing();
    } else {
      assertTrue(refused instanceof CairnException e && e.kind() == CairnException.Kind.TRANSIENT,
          "refused as retryable (409 missing_chunks or 503): " + refused);
      missing = files.commitBlocklist(alice, at(path), blocklist, Expect.ANY).missing();
    }
    int offset = 0;
    for (BlockRef b : blocklist.blocks()) {
      if (missing.contains(b.hash())) {
        files.storeChunk(alice, b.hash(), Buffer.buffer(java.util.Arrays.copyOfRange(content, offset, offset + b.length())));
      }
      offset += b.length();
    }
    if (!missing.isEmpty()) {
      assertTrue(files.commitBlocklist(alice, at(path), blocklist, Expect.ANY).committed());
    }
  }

  private void assertFsckVerifyIsClean() {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
    Fsck.Summary fsck = new Fsck(journal, store, true, out, out, Clock.systemUTC(), Duration.ofMinutes(1)).run();
    assertTrue(fsck.clean(), "fsck --verify: " + report.toString(StandardCharsets.UTF_8));
  }

  /** Starts a gc run two days ahead that stops before its first deletion; returns once it got there. */
  private Thread gcStoppedBeforeItsFirstDeletion() throws InterruptedException {
    Thread gc = gcStarted();
    assertTrue(store.reached.await(WAIT_SECONDS, TimeUnit.SECONDS), "gc decided to delete");
    return gc;
  }

  /** Starts a gc run whose clock is two days ahead. */
  private Thread gcStarted() {
    Clock ahead = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    return Thread.ofPlatform().name("gc-window").start(() -> new GarbageCollector(journal, store, ahead, GRACE, 0,
        Duration.ofMinutes(1)).run(false, new GarbageCollector.Observer() {}));
  }

  private ContentUpload.Result upload(byte[] content) throws IOException {
    return files.upload(new ByteArrayInputStream(content), content.length);
  }

  private void put(String path, ContentUpload.Result content) {
    files.put(alice, at(path), content, Expect.ANY);
  }

  private FilePath at(String path) {
    return new FilePath(alice.home(), path);
  }

  /** The file reads back with the SHA-256 of {@code content}, and the store has every chunk it names. */
  private void assertReadsBack(String path, byte[] content) throws IOException {
    assertReadsBack(alice, at(path), content);
  }

  private void assertReadsBack(Caller caller, FilePath path, byte[] content) throws IOException {
    Entry e = files.entry(caller, path);
    assertEquals(Set.of(), Await.result(store.missing(hashes(e.blocklist()))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.download(e, 0, e.size(), out);
    assertEquals(ChunkHash.sha256(content), ChunkHash.sha256(out.toByteArray()));
  }

  private static List<ChunkHash> hashes(Blocklist blocklist) {
    return blocklist.blocks().stream().map(BlockRef::hash).toList();
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * The journal the files layer commits through: armed with {@link #pauseTheNextCommit}, the next
   * commit waits, after every check the files layer makes and before the journal's own commit,
   * until {@link #go}.
   */
  private static final class PausingCommits implements InvocationHandler {
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
    private final Journal journal;
    private volatile boolean armed;

    PausingCommits(Journal journal) {
      this.journal = journal;
    }

    Journal journal() {
      return (Journal) Proxy.newProxyInstance(Journal.class.getClassLoader(), new Class<?>[] {Journal.class}, this);
    }

    void pauseTheNextCommit() {
      armed = true;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (armed && method.getName().equals("commit")) {
        armed = false;
        paused.countDown();
        if (!go.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
          return Future.failedFuture(new AssertionError("the test never let the commit go on"));
        }
      }
      try {
        return method.invoke(journal, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * The store under test with two latches: gc's first deletion stops before the store's own
   * check and deletion until {@link #go}; armed with {@link #letGcDeleteAfterThePresenceCheck},
   * the next presence check answers what it found only after gc went on and finished.
   */
  private static final class LatchedStore extends ForwardingChunkStore {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
    final CountDownLatch marked = new CountDownLatch(1);
    final CountDownLatch sweep = new CountDownLatch(1);
    private volatile Thread gcToFinish;
    private volatile boolean stopAtListing;

    LatchedStore(ChunkStore store) {
      super(store);
    }

    void letGcDeleteAfterThePresenceCheck(Thread gc) {
      gcToFinish = gc;
    }

    /** gc's first listing (its sweep starts after its mark) waits for {@link #sweep}. */
    void stopGcAfterItsMark() {
      stopAtListing = true;
    }

    @Override
    public Future<List<StoredChunk>> listStored(ChunkHash after, int limit) {
      if (!stopAtListing) {
        return super.listStored(after, limit);
      }
      stopAtListing = false;
      marked.countDown();
      return waitFor(sweep, "sweep", () -> super.listStored(after, limit));
    }

    @Override
    public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, Instant notAfter) {
      reached.countDown();
      return waitFor(go, "go on", () -> super.deleteIfNotModifiedAfter(hash, notAfter));
    }

    /** {@code then} once the test opened {@code latch}; a failure if it never does. */
    private static <T> Future<T> waitFor(CountDownLatch latch, String what, Supplier<Future<T>> then) {
      try {
        if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
          return Future.failedFuture(new AssertionError("the test never let gc " + what));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Future.failedFuture(e);
      }
      return then.get();
    }

    @Override
    public Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes) {
      Set<ChunkHash> found = Await.result(super.missing(hashes));
      Thread gc = gcToFinish;
      if (gc != null) {
        gcToFinish = null;
        go.countDown();
        try {
          gc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Future.succeededFuture(found);
    }
  }
}
