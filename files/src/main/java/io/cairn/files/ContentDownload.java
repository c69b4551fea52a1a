package io.cairn.files;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.storage.ChunkFileRange;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.LocalChunkFiles;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * Streams a byte range of a file from the chunk store to an output, in order, fetching the next
 * {@code readAhead} chunks while the current one is written, so the store's latency overlaps the
 * client's. Holds at most {@code readAhead + 1} chunks in memory.
 *
 * <p>When the store keeps chunks as local files ({@link LocalChunkFiles}), the output can send
 * files ({@link FileSink}) and more than {@link #SMALL_CONTENT} bytes are asked for, chunks go as
 * open files instead of bytes: the kernel copies them to the
 * socket (sendfile), and the bytes never enter this process. Otherwise as Vert.x buffers when the
 * output is a {@link BufferSink}, else as byte arrays.
 */
public final class ContentDownload {
  /**
   * Up to this many bytes go as bytes even when files could be sent: a small file's chunk is
   * likely in the chunk cache, and its bytes join the response's headers in one write, where a
   * file would cost an open and a sendfile of its own.
   */
  static final long SMALL_CONTENT = 64 << 10;

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
   * {@code out}. Every chunk's size is checked before any of it is written.
   *
   * @throws IOException when the output fails (the client went away)
   * @throws CairnException INTERNAL when a chunk is missing or shorter than the blocklist says
   */
  public void send(Blocklist blocklist, long offset, long length, OutputStream out)
      throws IOException {
    if (length <= 0) {
      return;
    }
    if (length > SMALL_CONTENT
        && chunks instanceof LocalChunkFiles files
        && out instanceof FileSink sink
        && sink.sendsFiles()) {
      stream(blocklist, offset, length, new FileParts(files, sink));
    } else {
      stream(blocklist, offset, length, new BufferParts(chunks, out));
    }
  }

  /** How one kind of part (bytes or open files) is fetched, written and let go. */
  private interface Parts<T> {
    Future<T> fetch(BlockRef block, long from, long length);

    /** The bytes {@code part} holds, for the size check. */
    long length(T part);

    /** Writes {@code part}, which it then owns. */
    void write(T part) throws IOException;

    /** Lets go of a part that will not be written. */
    void discard(T part);
  }

  private record Pending<T>(BlockRef block, long length, Future<T> part) {}

  private <T> void stream(Blocklist blocklist, long offset, long length, Parts<T> parts)
      throws IOException {
    long end = offset + length;
    ArrayDeque<Pending<T>> pending = new ArrayDeque<>();
    try {
      long blockStart = 0;
      for (BlockRef block : blocklist.blocks()) {
        long blockEnd = blockStart + block.length();
        if (blockEnd > offset && blockStart < end) {
          long from = Math.max(offset, blockStart) - blockStart;
          long to = Math.min(end, blockEnd) - blockStart;
          pending.add(new Pending<>(block, to - from, parts.fetch(block, from, to - from)));
          while (pending.size() > readAhead) {
            write(pending.poll(), parts);
          }
        }
        if (blockEnd >= end) {
          break;
        }
        blockStart = blockEnd;
      }
      while (!pending.isEmpty()) {
        write(pending.poll(), parts);
      }
    } finally {
      // Fetched ahead but not written (the client went, a chunk failed): open files must close.
      for (Pending<T> p : pending) {
        p.part().onSuccess(parts::discard);
      }
    }
  }

  private static <T> void write(Pending<T> p, Parts<T> parts) throws IOException {
    T part;
    try {
      part = Await.result(p.part());
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.NOT_FOUND) {
        throw new CairnException(
            CairnException.Kind.INTERNAL, "chunk " + p.block().hash() + " is missing", e);
      }
      throw e;
    }
    long got = parts.length(part);
    if (got != p.length()) {
      parts.discard(part);
      throw new CairnException(
          CairnException.Kind.INTERNAL,
          "chunk " + p.block().hash() + " gave " + got + " bytes, not " + p.length());
    }
    parts.write(part);
  }

  /** Chunks read into memory. */
  private record BufferParts(ChunkStore chunks, OutputStream out) implements Parts<Buffer> {
    @Override
    public Future<Buffer> fetch(BlockRef block, long from, long length) {
      return from == 0 && length == block.length()
          ? chunks.get(block.hash())
          : chunks.get(block.hash(), from, length);
    }

    @Override
    public long length(Buffer part) {
      return part.length();
    }

    @Override
    public void write(Buffer part) throws IOException {
      if (out instanceof BufferSink sink) {
        sink.write(part);
      } else {
        out.write(part.getBytes());
      }
    }

    @Override
    public void discard(Buffer part) {}
  }

  /** Chunks as open files, sent by the kernel. */
  private record FileParts(LocalChunkFiles files, FileSink sink) implements Parts<ChunkFileRange> {
    @Override
    public Future<ChunkFileRange> fetch(BlockRef block, long from, long length) {
      return files.open(block.hash(), from, length);
    }

    @Override
    public long length(ChunkFileRange part) {
      return part.length();
    }

    @Override
    public void write(ChunkFileRange part) throws IOException {
      sink.write(part.channel(), part.offset(), part.length());
    }

    @Override
    public void discard(ChunkFileRange part) {
      part.close();
    }
  }
}
