package io.cairn.webdav;

import io.cairn.storage.BlockRef;
import io.cairn.storage.Blocklist;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * Streams a byte range of a file from the chunk store to an output, in order, fetching the next
 * {@code readAhead} chunks while the current one is written, so the store's latency overlaps the
 * client's. Holds at most {@code readAhead + 1} chunks in memory.
 */
public final class ContentDownload {
  private final ChunkStore chunks;
  private final int readAhead;

  public ContentDownload(ChunkStore chunks, int readAhead) {
    if (readAhead < 0) {
      throw new IllegalArgumentException("readAhead must be >= 0");
    }
    this.chunks = chunks;
    this.readAhead = readAhead;
  }

  /**
   * Writes bytes {@code [offset, offset + length)} of the content made of {@code blocklist} to
   * {@code out}, as Vert.x buffers when {@code out} is a {@link BufferSink}.
   *
   * @throws IOException when the output fails (the client went away)
   * @throws StorageException INTERNAL when a chunk is missing or shorter than the blocklist says
   */
  public void send(Blocklist blocklist, long offset, long length, OutputStream out)
      throws IOException {
    if (length <= 0) {
      return;
    }
    long end = offset + length;
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    long blockStart = 0;
    for (BlockRef block : blocklist.blocks()) {
      long blockEnd = blockStart + block.length();
      if (blockEnd > offset && blockStart < end) {
        long from = Math.max(offset, blockStart) - blockStart;
        long to = Math.min(end, blockEnd) - blockStart;
        pending.add(fetch(block, from, to - from));
        while (pending.size() > readAhead) {
          write(pending.poll(), out);
        }
      }
      if (blockEnd >= end) {
        break;
      }
      blockStart = blockEnd;
    }
    while (!pending.isEmpty()) {
      write(pending.poll(), out);
    }
  }

  private record Pending(BlockRef block, long length, Future<Buffer> data) {}

  private Pending fetch(BlockRef block, long from, long length) {
    Future<Buffer> data =
        from == 0 && length == block.length()
            ? chunks.get(block.hash())
            : chunks.get(block.hash(), from, length);
    return new Pending(block, length, data);
  }

  private static void write(Pending p, OutputStream out) throws IOException {
    Buffer data;
    try {
      data = Await.result(p.data());
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.NOT_FOUND) {
        throw new StorageException(
            StorageException.Kind.INTERNAL, "chunk " + p.block().hash() + " is missing", e);
      }
      throw e;
    }
    if (data.length() != p.length()) {
      throw new StorageException(
          StorageException.Kind.INTERNAL,
          "chunk " + p.block().hash() + " gave " + data.length() + " bytes, not " + p.length());
    }
    if (out instanceof BufferSink sink) {
      sink.write(data);
    } else {
      out.write(data.getBytes());
    }
  }
}
