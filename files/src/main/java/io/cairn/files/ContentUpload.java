package io.cairn.files;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.ContentHash;
import io.cairn.storage.ChunkDeletions;
import io.cairn.storage.ChunkStore;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Streams a request body through the chunker into the chunk store: the reading thread cuts
 * chunks while up to {@code maxInFlight} earlier chunks are hashed and stored on other threads, so
 * memory stays at about {@code (maxInFlight + 2) * maxChunk} whatever the body's size. The same
 * chunks are digested whole-file ({@link ContentDigests}) on another thread in order,
 * alongside (those of the types asked for), and a chunk's place in flight is freed only when it is
 * both stored and digested. The
 * result names only chunks that are durable (design invariant 1); nothing is committed here.
 *
 * <p>Before the first chunk is stored the upload notes garbage collection's deletion epoch ({@link
 * ChunkDeletions#epoch}, read while the first chunk is cut), which its commit checks against
 * (ADR 0015): a chunk found present may be one gc is deleting.
 *
 * <p>Before reading the body an upload reserves its buffer and one chunk in the node-wide {@link
 * UploadBudget}, so that many concurrent uploads wait for room instead of running out of memory; a
 * chunk it stores in parallel with others takes room of its own while it is stored, when there is
 * room, and is stored on the upload's own thread when there is none.
 */
public final class ContentUpload {

  /**
   * What an upload produced, ready for a {@code Change.Put}.
   *
   * @param blocklist the chunks, in order, all durable in the chunk store
   * @param size the number of bytes read
   * @param contentHash {@link ContentHash#of} the blocklist
   * @param digests the whole-file digests of the bytes read; null when not computed
   * @param deletionEpoch gc's deletion epoch noted before the first chunk was stored: the commit
   *     asks which chunks gc deleted since ({@link ChunkDeletions#deletingSince})
   */
  public record Result(Blocklist blocklist, long size, String contentHash, ContentDigests digests, long deletionEpoch) {}

  private final ChunkStore chunks;
  private final ChunkDeletions deletions;
  private final ChunkSplitter splitter;
  private final int maxInFlight;
  private final Executor workers;
  private final UploadBudget budget;

  public ContentUpload(ChunkStore chunks, ChunkDeletions deletions, ChunkSplitter splitter, int maxInFlight,
      Executor workers, UploadBudget budget) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1");
    }
    this.chunks = chunks;
    this.deletions = deletions;
    this.splitter = splitter;
    this.maxInFlight = maxInFlight;
    this.workers = workers;
    this.budget = budget;
  }

  /**
   * Reads {@code in} to its end and stores its chunks.
   *
   * @param expectedLength the length the client announced, or -1; a body of another length fails
   *     with an INVALID CairnException (400)
   * @throws IOException when the body cannot be read to its end (the client went away): nothing
   *     is to be committed then
   * @throws CairnException when a chunk cannot be stored
   */
  public Result upload(InputStream in, long expectedLength) throws IOException {
    return upload(in, expectedLength, 0, DigestType.DEFAULT);
  }

  /**
   * As {@link #upload(InputStream, long)}, refusing a body longer than {@code maxBytes} (0: no
   * limit) with TOO_LARGE as soon as that many bytes were read: the chunks stored by then are left
   * for garbage collection, and nothing is to be committed. The result's digests are those of
   * {@code digestTypes} (null when it is empty).
   */
  public Result upload(InputStream in, long expectedLength, long maxBytes, Set<DigestType> digestTypes)
      throws IOException {
    try (UploadBudget.Lease room = budget.reserve(expectedLength)) {
      return uploadWithin(in, expectedLength, maxBytes, digestTypes);
    }
  }

  private Result uploadWithin(InputStream in, long expectedLength, long maxBytes,
      Set<DigestType> digestTypes) throws IOException {
    Semaphore permits = new Semaphore(maxInFlight);
    List<CompletableFuture<BlockRef>> blocks = new ArrayList<>();
    DigestPipeline digests = new DigestPipeline(workers, digestTypes);
    io.vertx.core.Future<Long> epochRead = deletions.epoch();
    long size = 0;
    try (ChunkSplitter.Cursor cursor = splitter.open(in, expectedLength)) {
      byte[] data;
      while ((data = cursor.next()) != null) {
        size += data.length;
        if (expectedLength >= 0 && size > expectedLength) {
          throw new CairnException(CairnException.Kind.INVALID, "body longer than announced");
        }
        if (maxBytes > 0 && size > maxBytes) {
          throw new CairnException(CairnException.Kind.TOO_LARGE,
              "a file may hold at most " + maxBytes + " bytes on this server");
        }
        if (blocks.isEmpty()) {
          Await.result(epochRead); // noted before any chunk is stored or found present
        }
        if (blocks.isEmpty() && size == expectedLength) {
          // The whole body is this one chunk (a small file): stored on this thread, no hand-off.
          blocks.add(CompletableFuture.completedFuture(storeHere(data, digests)));
          continue;
        }
        acquire(permits);
        failFast(blocks);
        UploadBudget.Lease room = budget.tryMore(data.length);
        if (room == null) {
          // No room to store it beside the others: stored on this thread, within the room reserved
          // up front, while the chunks already handed over go on.
          permits.release();
          blocks.add(CompletableFuture.completedFuture(storeHere(data, digests)));
          continue;
        }
        byte[] chunk = data;
        CompletableFuture<BlockRef> block = CompletableFuture.supplyAsync(() -> store(chunk), workers);
        CompletableFuture.allOf(block, digests.add(chunk)).whenComplete((v, e) -> {
          room.close();
          permits.release();
        });
        blocks.add(block);
      }
    }
    if (expectedLength >= 0 && size != expectedLength) {
      throw new CairnException(CairnException.Kind.INVALID, 
          "body of " + size + " bytes, but " + expectedLength + " were announced");
    }
    List<BlockRef> refs = new ArrayList<>(blocks.size());
    for (CompletableFuture<BlockRef> block : blocks) {
      refs.add(join(block));
    }
    Blocklist blocklist = new Blocklist(refs);
    return new Result(blocklist, size, ContentHash.of(blocklist), digests.finish(), Await.result(epochRead));
  }

  /** Digests one chunk on this thread, after the chunks digested before it, and stores it. */
  private BlockRef storeHere(byte[] chunk, DigestPipeline digests) {
    digests.addHere(chunk);
    return store(chunk);
  }

  /** Hashes and stores one chunk on the calling thread. */
  private BlockRef store(byte[] chunk) {
    ChunkHash hash = ChunkHash.sha256(chunk);
    Await.result(chunks.putHashedHere(hash, wrapped(chunk)));
    return new BlockRef(hash, chunk.length);
  }

  /** The chunk as a Buffer without a copy: Buffer.buffer(byte[]) would copy every byte uploaded. */
  private static Buffer wrapped(byte[] chunk) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(chunk));
  }

  private static void acquire(Semaphore permits) throws InterruptedIOException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("upload interrupted");
    }
  }

  /** Stops reading the body as soon as one chunk could not be stored. */
  private static void failFast(List<CompletableFuture<BlockRef>> blocks) {
    for (int i = blocks.size() - 1; i >= 0 && i >= blocks.size() - 8; i--) {
      CompletableFuture<BlockRef> b = blocks.get(i);
      if (b.isCompletedExceptionally()) {
        join(b);
      }
    }
  }

  private static BlockRef join(CompletableFuture<BlockRef> block) {
    try {
      return block.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new CairnException(CairnException.Kind.INTERNAL, "storing a chunk failed", e);
    }
  }
}
