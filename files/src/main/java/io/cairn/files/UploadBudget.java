package io.cairn.files;

import io.cairn.core.CairnException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The node-wide bound on the memory that uploads hold at once. Before it reads its body, every
 * {@link ContentUpload} reserves what it cannot do without ({@link #upfront}): its chunker buffer and
 * the one chunk it stores on its own thread, 12 MiB for a large body at the default chunk sizes. Each
 * further chunk it stores in parallel takes room of its own while it is being stored ({@link
 * #tryMore}), only when there is room and nobody waits for it; without, the upload stores that chunk
 * itself. Many concurrent large uploads then wait for room, in the order they asked, instead of
 * running the heap out of memory, and a large upload reading a slow client's body holds no room for
 * chunks it is not storing; an upload that gets no room within {@link #wait} fails with TRANSIENT
 * (503 with Retry-After) before its body is read.
 *
 * <p>The budget is sized from the JVM's maximum heap ({@link #forHeap}): raising {@code -Xmx} raises
 * it. One upload that needs more than the whole budget is given the whole budget (it runs alone).
 */
public final class UploadBudget {
  /** Below this the budget would not let one large upload run next to small ones. */
  static final long MIN_BYTES = 32L << 20;
  /** The first buffer the chunk stream reads into ({@code ChunkStream.INITIAL_BUFFER}). */
  private static final long FIRST_BUFFER = 64L << 10;

  private final long totalBytes;
  private final int maxChunk;
  private final Duration wait;
  private final Semaphore kib;

  /**
   * @param totalBytes the bytes all uploads on this node may hold at once
   * @param maxChunk the chunker's largest chunk: the stream's buffer is at most twice this
   * @param wait how long an upload waits for room before it is refused with TRANSIENT
   */
  public UploadBudget(long totalBytes, int maxChunk, Duration wait) {
    if (totalBytes < 1 || maxChunk < 1) {
      throw new IllegalArgumentException("the upload budget needs positive sizes");
    }
    this.totalBytes = Math.min(totalBytes, (long) Integer.MAX_VALUE << 10);
    this.maxChunk = maxChunk;
    this.wait = wait;
    this.kib = new Semaphore(toKib(this.totalBytes), true);
  }

  /**
   * Half the maximum heap ({@link Runtime#maxMemory}), at least {@link #MIN_BYTES}: the other half
   * is for everything else a request holds (live heap after a full gc was 40-60 MB under the mixed
   * load of bench/http's workload 7).
   */
  public static UploadBudget forHeap(long maxHeapBytes, int maxChunk) {
    return new UploadBudget(Math.max(MIN_BYTES, maxHeapBytes / 2), maxChunk, Duration.ofSeconds(30));
  }

  /** The bytes all uploads on this node may hold at once. */
  public long totalBytes() {
    return totalBytes;
  }

  /** How many uploads wait for room now, for metrics and tests. */
  public int waiting() {
    return kib.getQueueLength();
  }

  /** The bytes reserved now, for metrics and tests. */
  public long reservedBytes() {
    return ((long) toKib(totalBytes) - kib.availablePermits()) << 10;
  }

  /**
   * What an upload of {@code length} bytes (-1: unknown) reserves before it reads its body: the
   * stream's buffer (as long as an announced body, else doubling from 64 KiB while the body keeps
   * coming, up to {@code 2 * maxChunk}) and the chunk just cut, which it stores on its own thread
   * when no more room is to be had. Twice an announced body's length (at least 64 KiB) stays
   * reserved for the buffer, more than it now takes: the bound from when the buffer always doubled.
   */
  public long upfront(long length) {
    long buffer = 2L * maxChunk;
    long chunk = maxChunk;
    if (length >= 0) {
      buffer = Math.min(buffer, Math.max(FIRST_BUFFER, 2 * length));
      chunk = Math.min(chunk, length);
    }
    return Math.min(totalBytes, buffer + chunk);
  }

  /**
   * Waits for room for an upload of {@code length} bytes (-1: unknown) and reserves it until the
   * returned lease is closed.
   *
   * @throws CairnException TRANSIENT (503, Retry-After) when no room came within the wait
   * @throws InterruptedIOException when the waiting thread is interrupted (the server stops)
   */
  public Lease reserve(long length) throws InterruptedIOException {
    return acquire(toKib(upfront(length)));
  }

  /**
   * Room for one more chunk of {@code bytes} that an upload would store in parallel with the one it
   * stores itself, if the budget has it now and no upload waits for room (those come first): null
   * otherwise, and the upload stores the chunk on its own thread, within what it reserved up front.
   * Never waits.
   */
  public Lease tryMore(long bytes) {
    int permits = toKib(bytes);
    if (kib.hasQueuedThreads() || !kib.tryAcquire(permits)) {
      return null;
    }
    return new Lease(permits);
  }

  /**
   * As {@link #reserve}, for a body of {@code bytes} read whole before it is stored (a sync API
   * chunk): it holds those bytes and no chunker buffer. At most the whole budget.
   */
  public Lease reserveWhole(long bytes) throws InterruptedIOException {
    return acquire(toKib(Math.min(totalBytes, Math.max(0, bytes))));
  }

  private Lease acquire(int permits) throws InterruptedIOException {
    try {
      if (!kib.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new CairnException(CairnException.Kind.TRANSIENT,
            "the server is busy with other uploads; try again shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("upload interrupted while waiting for memory");
    }
    return new Lease(permits);
  }

  private static int toKib(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) >> 10);
  }

  /** Room reserved for one upload; closing it (once or more) gives the room back. */
  public final class Lease implements AutoCloseable {
    private int permits;

    private Lease(int permits) {
      this.permits = permits;
    }

    @Override
    public void close() {
      int p = permits;
      permits = 0;
      kib.release(p);
    }
  }
}
