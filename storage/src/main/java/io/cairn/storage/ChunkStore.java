package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Content-addressed, immutable chunks named by the SHA-256 of their bytes.
 *
 * <p>A chunk is bounded by the chunker's maximum size (a few MiB), so one chunk travels as one
 * {@link Buffer}; a file streams as its sequence of chunks. Implementations are safe to call from
 * any thread, never block the caller's event loop, and fail their futures with {@link
 * CairnException} (TRANSIENT when the backend is unreachable, INTERNAL for corruption).
 */
public interface ChunkStore extends AutoCloseable {

  /**
   * Stores {@code data} under {@code hash} unless a chunk of that name is there already. The bytes
   * are verified against the hash before they are kept (a mismatch fails with INTERNAL and stores
   * nothing). When the future succeeds the chunk is durable: it survives a crash of this process
   * and of the machine.
   *
   * @return true if the chunk was newly stored, false if it was present
   */
  Future<Boolean> put(ChunkHash hash, Buffer data);

  /** The whole chunk. NOT_FOUND when there is no such chunk. */
  Future<Buffer> get(ChunkHash hash);

  /**
   * {@code length} bytes of the chunk from {@code offset}; fewer when the chunk ends first.
   * NOT_FOUND when there is no such chunk.
   */
  Future<Buffer> get(ChunkHash hash, long offset, long length);

  /** Which of {@code hashes} this store does not have. */
  Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes);

  /** Removes a chunk (garbage collection only). Deleting an absent chunk succeeds. */
  Future<Void> delete(ChunkHash hash);

  /**
   * Up to {@code limit} chunk names in ascending order, strictly after {@code after} (null: from
   * the start). An empty list means the listing is complete. For garbage collection and integrity
   * checks.
   */
  Future<List<ChunkHash>> list(ChunkHash after, int limit);

  /** The backend's short name for logs and metrics labels: "fs", "s3". */
  String backend();

  /** Releases connections and threads. */
  @Override
  void close();
}
