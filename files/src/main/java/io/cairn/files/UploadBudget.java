package io.cairn.files;

import io.cairn.core.CairnException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The node-wide bound on the memory that uploads hold at once: every {@link ContentUpload} reserves
 * the most its chunker buffer and its chunks in flight can take before it reads its body, and gives
 * it back when it ends. Many concurrent large uploads then wait for room, in the order they asked,
 * instead of each allocating its ~28 MiB and running the heap out of memory; an upload that gets no
 * room within {@link #wait} fails with TRANSIENT (503 with Retry-After) before its body is read.
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
  private final int chunksInFlight;
  private final Duration wait;
  private final Semaphore kib;

  /**
   * @param totalBytes the bytes all uploads on this node may hold at once
   * @param maxChunk the chunker's largest chunk: the stream's buffer is at most twice this
   * @param chunksInFlight chunks of one upload stored in parallel ({@code upload.chunks.in.flight})
   * @param wait how long an upload waits for room before it is refused with TRANSIENT
   */
  public UploadBudget(long totalBytes, int maxChunk, int chunksInFlight, Duration wait) {
    if (totalBytes < 1 || maxChunk < 1 || chunksInFlight < 1) {
      throw new IllegalArgumentException("the upload budget needs positive sizes");
    }
    this.totalBytes = Math.min(totalBytes, (long) Integer.MAX_VALUE << 10);
    this.maxChunk = maxChunk;
    this.chunksInFlight = chunksInFlight;
    this.wait = wait;
    this.kib = new Semaphore(toKib(this.totalBytes), true);
  }

  /**
   * Half the maximum heap ({@link Runtime#maxMemory}), at least {@link #MIN_BYTES}: the other half
   * is for everything else a request holds (live heap after a full gc was 40-60 MB under the mixed
   * load of bench/http's workload 7).
   */
  public static UploadBudget forHeap(long maxHeapBytes, int maxChunk, int chunksInFlight) {
    return new UploadBudget(Math.max(MIN_BYTES, maxHeapBytes / 2), maxChunk, chunksInFlight, Duration.ofSeconds(30));
  }

  /** The bytes all uploads on this node may hold at once. */
  public long totalBytes() {
    return totalBytes;
  }

  /** The bytes reserved now, for metrics and tests. */
  public long reservedBytes() {
    return ((long) toKib(totalBytes) - kib.availablePermits()) << 10;
  }

  /**
   * The most an upload of {@code length} bytes (-1: unknown) holds: the stream's buffer (it doubles
   * from 64 KiB while the body keeps coming, up to {@code 2 * maxChunk}) and its chunks, the ones in
   * flight and the one just cut.
   */
  public long worstCase(long length) {
    long buffer = 2L * maxChunk;
    long chunks = (chunksInFlight + 1L) * maxChunk;
    if (length >= 0) {
      buffer = Math.min(buffer, Math.max(FIRST_BUFFER, 2 * length));
      chunks = Math.min(chunks, length);
    }
    return Math.min(totalBytes, buffer + chunks);
  }

  /**
   * Waits for room for an upload of {@code length} bytes (-1: unknown) and reserves it until the
   * returned lease is closed.
   *
   * @throws CairnException TRANSIENT (503, Retry-After) when no room came within the wait
   * @throws InterruptedIOException when the waiting thread is interrupted (the server stops)
   */
  public Lease reserve(long length) throws InterruptedIOException {
    return acquire(toKib(worstCase(length)));
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
