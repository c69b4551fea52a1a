package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;

/**
 * Optional capability of a {@link ChunkStore} that keeps every chunk as a file on a local disk: it
 * hands out the open file instead of the bytes, so that a reader can send them from the file to a
 * socket without copying them through this process (sendfile). Callers find it with {@code
 * instanceof}; decorators of a chunk store implement it exactly when the store they wrap does.
 *
 * <p>Thread rules as for {@link ChunkStore}: safe from any thread, never blocks the caller's event
 * loop, fails with {@link CairnException}.
 */
public interface LocalChunkFiles {

  /**
   * Opens the file of chunk {@code hash} for reading bytes {@code [offset, offset + length)} of it,
   * the range {@link ChunkStore#get(ChunkHash, long, long)} would read; the range handed back is
   * shorter when the chunk ends first (empty when {@code offset} is at or past its end). The file
   * stays readable while open even if the chunk is deleted meanwhile.
   *
   * <p>The caller owns the open file and must {@link ChunkFileRange#close() close} it, also when it
   * does not use it.
   *
   * <p>NOT_FOUND when there is no such chunk (a GET then answers 500: its entry names a chunk the
   * store lacks); INTERNAL when the file cannot be opened or the arguments are bad.
   */
  Future<ChunkFileRange> open(ChunkHash hash, long offset, long length);
}
