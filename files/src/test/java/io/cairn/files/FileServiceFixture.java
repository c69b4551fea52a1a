package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.core.CairnException;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * The fixture of the files-layer contract: a {@link FileService} over a fresh journal and chunk
 * store per test, four namespaces and two callers. Alice has a home with a quota, a read-write
 * share (team) and a read-only one (docs); Bob has a home without quota and docs read-write. Not
 * run on its own: backends subclass {@link FileServiceContract}.
 */
abstract class FileServiceFixture {

  protected static final String ALICE = "home:alice";
  protected static final String BOB = "home:bob";
  protected static final String TEAM = "shared:team";
  protected static final String DOCS = "shared:docs";
  protected static final long QUOTA = 1000;

  /** A fresh journal, unique to this test. */
  protected abstract Journal journal() throws Exception;

  /** A fresh chunk store, unique to this test. */
  protected abstract ChunkStore chunks() throws Exception;

  /** The files layer's clock (uploads and their hour); the journals keep the system's. */
  protected final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  protected Journal journal;
  protected ChunkStore chunks;
  private ExecutorService workers;
  protected FileService files;
  protected Caller alice;
  protected Caller bob;

  @BeforeEach
  void open() throws Exception {
    journal = journal();
    chunks = chunks();
    workers = Executors.newVirtualThreadPerTaskExecutor();
    Chunker chunker = new Chunker(new ChunkerParams(64, 256, 1024));
    files = new FileService(journal, chunks, ChunkSplitter.of(chunker), QuotaPolicy.NONE, 2, 1, workers, clock, FileLimits.NONE,
        DigestType.DEFAULT, false);
    for (String ns : List.of(ALICE, BOB, TEAM, DOCS)) {
      files.ensureNamespace(ns);
    }
    alice = new Caller("alice", ALICE, QUOTA, List.of(
        new Caller.Share("team", TEAM, true), new Caller.Share("docs", DOCS, false)));
    bob = new Caller("bob", BOB, -1, List.of(new Caller.Share("docs", DOCS, true)));
  }

  @AfterEach
  void close() {
    workers.close();
    chunks.close();
    journal.close();
  }

  protected JournalRow put(Caller c, FilePath p, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return files.put(c, p, files.upload(new ByteArrayInputStream(bytes), bytes.length), Expect.ANY);
  }

  protected String read(Caller c, FilePath p) throws IOException {
    Entry e = files.entry(c, p);
    assertNotNull(e, p + " exists");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.download(e, 0, e.size(), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  protected static void refused(CairnException.Kind kind, Executable write) {
    CairnException e = assertThrows(CairnException.class, write::execute);
    assertEquals(kind, e.kind(), e.getMessage());
  }

  protected long lastJid(String ns) {
    return Await.result(journal.namespace(ns)).lastJid();
  }
}
