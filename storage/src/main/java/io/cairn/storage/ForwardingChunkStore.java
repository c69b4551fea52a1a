package io.cairn.storage;

import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chunk store that passes every call to another: the base of decorators that change a few
 * calls (a cache, a test's probe) and forward the rest unchanged. It passes on no optional
 * capability ({@link LocalChunkFiles}); a decorator that keeps one implements it itself.
 */
public abstract class ForwardingChunkStore implements ChunkStore {
  /** The store calls are passed to. */
  protected final ChunkStore store;

  protected ForwardingChunkStore(ChunkStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    return store.put(hash, data);
  }

  @Override
  public Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    return store.putHashedHere(hash, data);
  }

  @Override
  public Future<Void> replace(ChunkHash hash, Buffer data) {
    return store.replace(hash, data);
  }

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    return store.get(hash);
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    return store.get(hash, offset, length);
  }

  @Override
  public Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes) {
    return store.missing(hashes);
  }

  @Override
  public Future<Void> delete(ChunkHash hash) {
    return store.delete(hash);
  }

  @Override
  public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, java.time.Instant notAfter) {
    return store.deleteIfNotModifiedAfter(hash, notAfter);
  }

  @Override
  public Future<List<StoredChunk>> listStored(ChunkHash after, int limit) {
    return store.listStored(after, limit);
  }

  @Override
  public String backend() {
    return store.backend();
  }

  @Override
  public void close() {
    store.close();
  }
}
