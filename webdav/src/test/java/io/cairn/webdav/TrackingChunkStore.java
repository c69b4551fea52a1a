package io.cairn.webdav;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkFileRange;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.ForwardingChunkStore;
import io.cairn.storage.LocalChunkFiles;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file chunk store that remembers how it was read: how many {@code get}s, and every file it
 * opened, so tests can tell which download path ran and that every file was closed again.
 */
final class TrackingChunkStore extends ForwardingChunkStore implements LocalChunkFiles {
  private final LocalChunkFiles files;
  final AtomicInteger gets = new AtomicInteger();
  final ConcurrentLinkedQueue<FileChannel> opened = new ConcurrentLinkedQueue<>();

  TrackingChunkStore(ChunkStore store) {
    super(store);
    this.files = (LocalChunkFiles) store;
  }

  /** {@code store} without its {@link LocalChunkFiles} capability: downloads take buffers. */
  static ChunkStore buffersOnly(ChunkStore store) {
    return new ForwardingChunkStore(store) {};
  }

  /** Files opened and not closed yet. */
  long openFiles() {
    return opened.stream().filter(FileChannel::isOpen).count();
  }

  @Override
  public Future<ChunkFileRange> open(ChunkHash hash, long offset, long length) {
    return files.open(hash, offset, length).andThen(ar -> {
      if (ar.succeeded()) {
        opened.add(ar.result().channel());
      }
    });
  }

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    gets.incrementAndGet();
    return store.get(hash);
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    gets.incrementAndGet();
    return store.get(hash, offset, length);
  }
}
