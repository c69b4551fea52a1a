package io.cairn.core.chunk;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The chunks of a {@link ChunkStream}, hashed on an {@link Executor} while the calling thread
 * goes on reading and cutting: SHA-256 of one stream runs at about one core's hashing speed, so
 * hashing several chunks at once on several threads is how one stream goes faster than that.
 *
 * <p>Yields the same chunks in the same order as {@link ChunkStream#next()}. Up to {@code window}
 * chunks are read ahead and being hashed at once, so memory stays bounded by about {@code (window
 * + 2) * max} bytes. Not thread-safe, like the stream it reads; closing it closes that stream.
 */
public final class ParallelChunkStream implements AutoCloseable {
  private final ChunkStream chunks;
  private final Executor executor;
  private final int window;
  private final ArrayDeque<CompletableFuture<Chunk>> pending = new ArrayDeque<>();
  private boolean sourceDone;
  private boolean closed;

  /**
   * Reads from {@code chunks} and hashes on {@code executor}, at most {@code window} chunks ahead
   * of the caller. A window of one more than the executor's threads keeps them all busy.
   *
   * @throws IllegalArgumentException if {@code window < 1}
   */
  public ParallelChunkStream(ChunkStream chunks, Executor executor, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the window holds at least one chunk, not " + window);
    }
    this.chunks = Objects.requireNonNull(chunks, "chunks");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.window = window;
  }

  /**
   * The next chunk, hashed; null after the last one. Blocks until its hash is done.
   *
   * @throws IOException when the input fails to read, or the stream is closed
   */
  public Chunk next() throws IOException {
    if (closed) {
      throw new IOException("the chunk stream is closed");
    }
    while (!sourceDone && pending.size() < window) {
      byte[] data = chunks.nextBytes();
      if (data == null) {
        sourceDone = true;
      } else {
        pending.add(CompletableFuture.supplyAsync(() -> Chunk.of(data), executor));
      }
    }
    CompletableFuture<Chunk> head = pending.poll();
    if (head == null) {
      return null;
    }
    try {
      return head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing a chunk", e);
    } catch (ExecutionException e) {
      // Hashing only fails on errors such as running out of memory: rethrow them as they are.
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("hashing a chunk failed", e.getCause());
    }
  }

  /**
   * Closes the underlying stream and its input. Hashes still running finish on the executor and
   * are dropped. Further calls to {@link #next()} fail; closing again does nothing.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    pending.clear();
    chunks.close();
  }
}
