package io.cairn.storage.cache;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkFileRange;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.ForwardingChunkStore;
import io.cairn.storage.LocalChunkFiles;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A chunk store that keeps recently used small chunks in memory, least recently used out first,
 * up to a byte budget. Small files are one small chunk each, and reading one from disk costs an
 * open, a stat, a read and a close (from S3, a round trip); a hit costs a map lookup.
 *
 * <p>Only chunks of at most {@code maxChunkBytes} are kept, whether read or just stored; large
 * chunks (a big file's) would push out many small ones and are read at disk speed anyway. Chunks
 * are immutable, so nothing is ever stale; a {@link #delete} drops the chunk here before the store
 * deletes it, and a {@link #replace} (of a damaged chunk) drops it too. Each reader gets a copy of its own.
 */
public class CachingChunkStore extends ForwardingChunkStore {
  private final int maxChunkBytes;
  private final long budgetBytes;
  private final Runnable onHit;
  private final Runnable onMiss;
  private final LinkedHashMap<ChunkHash, byte[]> chunks = new LinkedHashMap<>(256, 0.75f, true);
  private long cachedBytes;

  /**
   * As the constructor; also a {@link LocalChunkFiles} when {@code store} is one (its open files
   * are not cached: they are for large reads).
   */
  public static CachingChunkStore of(
      ChunkStore store, long budgetBytes, int maxChunkBytes, Runnable onHit, Runnable onMiss) {
    return store instanceof LocalChunkFiles
        ? new WithFiles(store, budgetBytes, maxChunkBytes, onHit, onMiss)
        : new CachingChunkStore(store, budgetBytes, maxChunkBytes, onHit, onMiss);
  }

  /**
   * Caches in front of {@code store} without passing on optional capabilities; {@link #of} keeps
   * them.
   *
   * @param store where chunks live
   * @param budgetBytes the most bytes of chunks kept (0 keeps nothing)
   * @param maxChunkBytes the largest chunk kept
   * @param onHit called for every whole-chunk read answered from memory (a metrics counter)
   * @param onMiss called for every whole-chunk read passed to {@code store}
   */
  public CachingChunkStore(
      ChunkStore store, long budgetBytes, int maxChunkBytes, Runnable onHit, Runnable onMiss) {
    super(store);
    if (budgetBytes < 0 || maxChunkBytes < 0) {
      throw new IllegalArgumentException("budgetBytes and maxChunkBytes must be >= 0");
    }
    this.budgetBytes = budgetBytes;
    this.maxChunkBytes = maxChunkBytes;
    this.onHit = onHit;
    this.onMiss = onMiss;
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    return remembered(hash, data, store.put(hash, data));
  }

  @Override
  public Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    return remembered(hash, data, store.putHashedHere(hash, data));
  }

  private Future<Boolean> remembered(ChunkHash hash, Buffer data, Future<Boolean> put) {
    if (data == null || data.length() > maxChunkBytes) {
      return put;
    }
    return put.onSuccess(v -> remember(hash, data.getBytes()));
  }

  /** The copy held here may be the damaged one the store's is replacing: dropped before and after. */
  @Override
  public Future<Void> replace(ChunkHash hash, Buffer data) {
    forget(hash);
    return store.replace(hash, data).onSuccess(v -> forget(hash));
  }

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    byte[] cached = lookup(hash);
    if (cached != null) {
      onHit.run();
      return Future.succeededFuture(wrap(cached, 0, cached.length));
    }
    onMiss.run();
    return store
        .get(hash)
        .onSuccess(
            b -> {
              if (b.length() <= maxChunkBytes) {
                remember(hash, b.getBytes());
              }
            });
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    byte[] cached = lookup(hash);
    if (cached != null && offset >= 0 && length >= 0) {
      onHit.run();
      int from = (int) Math.min(offset, cached.length);
      int n = (int) Math.min(length, cached.length - from);
      return Future.succeededFuture(wrap(cached, from, n));
    }
    return store.get(hash, offset, length);
  }

  @Override
  public Future<Void> delete(ChunkHash hash) {
    forget(hash);
    return store.delete(hash);
  }

  /** Forgotten here even when the store keeps it (a newer chunk): it is read again on demand. */
  @Override
  public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, java.time.Instant notAfter) {
    forget(hash);
    return store.deleteIfNotModifiedAfter(hash, notAfter);
  }

  private void forget(ChunkHash hash) {
    if (hash != null) {
      synchronized (chunks) {
        byte[] gone = chunks.remove(hash);
        if (gone != null) {
          cachedBytes -= gone.length;
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (chunks) {
      chunks.clear();
      cachedBytes = 0;
    }
    store.close();
  }

  /** Bytes of chunks held now. */
  public long cachedBytes() {
    synchronized (chunks) {
      return cachedBytes;
    }
  }

  private byte[] lookup(ChunkHash hash) {
    if (hash == null || budgetBytes == 0) {
      return null;
    }
    synchronized (chunks) {
      return chunks.get(hash);
    }
  }

  private void remember(ChunkHash hash, byte[] bytes) {
    if (bytes.length > budgetBytes) {
      return;
    }
    synchronized (chunks) {
      byte[] before = chunks.put(hash, bytes);
      cachedBytes += bytes.length - (before == null ? 0 : before.length);
      var eldest = chunks.entrySet().iterator();
      while (cachedBytes > budgetBytes && eldest.hasNext()) {
        Map.Entry<ChunkHash, byte[]> e = eldest.next();
        cachedBytes -= e.getValue().length;
        eldest.remove();
      }
    }
  }

  /** The cache of a {@link LocalChunkFiles} store: opens go straight to it. */
  private static final class WithFiles extends CachingChunkStore implements LocalChunkFiles {
    private final LocalChunkFiles files;

    WithFiles(ChunkStore store, long budgetBytes, int maxChunkBytes, Runnable onHit, Runnable onMiss) {
      super(store, budgetBytes, maxChunkBytes, onHit, onMiss);
      this.files = (LocalChunkFiles) store;
    }

    @Override
    public Future<ChunkFileRange> open(ChunkHash hash, long offset, long length) {
      return files.open(hash, offset, length);
    }
  }

  /** A copy: a reader may write into its buffer, and a 64 KiB copy costs far less than a read. */
  private static Buffer wrap(byte[] bytes, int from, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, from + length)));
  }
}
