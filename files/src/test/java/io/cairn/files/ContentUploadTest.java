package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.chunk.Chunker;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload within the node's {@link UploadBudget}: what it reserves before its body, and the
 * chunks it stores beside one another only while there is room.
 */
class ContentUploadTest {
  private static final int MIB = 1 << 20;
  private static final ChunkSplitter SPLITTER = ChunkSplitter.of(Chunker.DEFAULT);

  @TempDir Path dir;
  private Journal journal;
  private ChunkStore chunks;
  private ExecutorService workers;

  @BeforeEach
  void open() {
    journal = SqliteJournal.open(dir.resolve("journal.db"));
    chunks = Await.result(FsChunkStore.open(dir.resolve("chunks")));
    workers = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void close() {
    workers.shutdownNow();
    chunks.close();
    journal.close();
  }

  @Test
  void anUploadWithNoRoomBesideItsOwnChunkStoresEveryChunkItselfWithTheSameResult() throws Exception {
    byte[] body = random(20 * MIB, 1);
    UploadBudget roomy = budget(256L * MIB, Duration.ofSeconds(5));
    UploadBudget tight = budget(roomy.upfront(-1), Duration.ofSeconds(5));

    ContentUpload.Result inParallel = upload(roomy).upload(new ByteArrayInputStream(body), -1, 0, Set.of(DigestType.SHA1));
    ContentUpload.Result oneByOne = upload(tight).upload(new ByteArrayInputStream(body), -1, 0, Set.of(DigestType.SHA1));

    assertTrue(oneByOne.blocklist().blocks().size() > 4, "the body is cut into several chunks");
    assertEquals(inParallel.blocklist(), oneByOne.blocklist());
    assertEquals(sha1(body), oneByOne.digests().sha1(), "the whole-file digest took the chunks in order");
    assertEquals(inParallel.digests(), oneByOne.digests());
    assertStored(oneByOne, body);
    assertEquals(0, roomy.reservedBytes(), "every chunk gave its room back");
    assertEquals(0, tight.reservedBytes());
  }

  @Test
  void twoLargeUploadsRunAtOnceInRoomForTwoBuffersAndTheirOwnChunks() throws Exception {
    // Room for what two large uploads cannot do without, and nothing for chunks in parallel: with
    // each upload reserving its chunks in flight up front, the second waited for the first to end.
    UploadBudget budget = budget(2 * budget(256L * MIB, Duration.ZERO).upfront(-1), Duration.ofSeconds(30));
    byte[] slowBody = random(12 * MIB, 2);
    byte[] otherBody = random(12 * MIB, 3);
    CountDownLatch halfRead = new CountDownLatch(1);
    CountDownLatch otherDone = new CountDownLatch(1);
    InputStream slow = new SequenceInputStream(
        new ByteArrayInputStream(slowBody, 0, 6 * MIB),
        new FilterInputStream(new ByteArrayInputStream(slowBody, 6 * MIB, 6 * MIB)) {
          private boolean waited;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (!waited) {
              waited = true;
              halfRead.countDown();
              try {
                // A client that stops sending half-way until the other upload is done (at most 30 s).
                otherDone.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
              }
            }
            return super.read(b, off, len);
          }
        });
    CompletableFuture<ContentUpload.Result> first =
        CompletableFuture.supplyAsync(() -> uploadQuietly(budget, slow), task -> Thread.ofVirtual().start(task));
    assertTrue(halfRead.await(30, TimeUnit.SECONDS), "the first upload read half its body");

    ContentUpload.Result other = upload(budget).upload(new ByteArrayInputStream(otherBody), -1, 0, Set.of(DigestType.SHA1));
    otherDone.countDown();

    assertEquals(sha1(otherBody), other.digests().sha1());
    assertStored(other, otherBody);
    ContentUpload.Result slowResult = first.get(60, TimeUnit.SECONDS);
    assertEquals(sha1(slowBody), slowResult.digests().sha1());
    assertStored(slowResult, slowBody);
    assertEquals(0, budget.reservedBytes());
  }

  private ContentUpload.Result uploadQuietly(UploadBudget budget, InputStream in) {
    try {
      return upload(budget).upload(in, -1, 0, Set.of(DigestType.SHA1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ContentUpload upload(UploadBudget budget) {
    return new ContentUpload(chunks, journal.chunkDeletions(), SPLITTER, 4, workers, budget);
  }

  private static UploadBudget budget(long bytes, Duration wait) {
    return new UploadBudget(bytes, SPLITTER.maxChunk(), wait);
  }

  private void assertStored(ContentUpload.Result result, byte[] body) {
    int offset = 0;
    for (BlockRef block : result.blocklist().blocks()) {
      byte[] stored = Await.result(chunks.get(block.hash())).getBytes();
      assertArrayEquals(Arrays.copyOfRange(body, offset, offset + block.length()), stored);
      offset += block.length();
    }
    assertEquals(body.length, offset);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha1(byte[] body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
  }
}
