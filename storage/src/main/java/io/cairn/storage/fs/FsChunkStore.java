package io.cairn.storage.fs;

import io.cairn.core.CairnException.Kind;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkFileRange;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.LocalChunkFiles;
import io.cairn.storage.StoredChunk;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChunkStore} in a local directory: one file per chunk at {@code ab/cd/abcd…} (see {@link
 * FsLayout}). A chunk is verified against its name, written to {@code tmp/}, fsynced, renamed into
 * place and its directory fsynced, so it appears whole or not at all and survives a crash once
 * {@link #put} succeeds. Reads return the bytes on disk without hashing them: SHA-256 runs at about
 * 1.3 GB/s on one core, which made verifying every read most of a large GET's CPU. Corruption on
 * disk is found by {@link #verify}, which an integrity job calls, not by every reader.
 *
 * <p>One store owns its directory: it holds an exclusive lock on {@code lock} while open, and at
 * open deletes whatever a crashed predecessor left in {@code tmp/}. All file I/O runs on virtual
 * threads, never on an event loop; results come back on the caller's Vert.x context. A put or
 * whole-chunk get of a small chunk by a virtual thread outside any Vert.x context runs on that
 * thread, and its Future is already complete. Concurrent puts of the same chunk are safe: exactly
 * one reports it as newly stored.
 *
 * <p>As {@link LocalChunkFiles} it hands out a chunk's open file, so that a large GET can send the
 * bytes with sendfile instead of reading them into memory.
 */
public final class FsChunkStore implements ChunkStore, LocalChunkFiles {
  private static final Logger LOG = LoggerFactory.getLogger(FsChunkStore.class);
  private static final int LOCK_STRIPES = 256;

  private final FsLayout layout;
  private final VirtualThreadRunner runner;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Serializes the check-and-rename of one chunk, so exactly one concurrent put wins. */
  private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];

  /** Fan-out directories whose entry in their parent is known durable in this process. */
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  private final AtomicLong tmpCounter = new AtomicLong();

  /** Opened by {@link #openReadOnly}: no lock held, and put and delete refuse. */
  private final boolean readOnly;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The read-only store of {@link #openReadOnly}: it touches nothing on disk. */
  private FsChunkStore(Path root, VirtualThreadRunner runner, boolean readOnly) throws IOException {
    if (!readOnly || !Files.isDirectory(root)) {
      throw new java.nio.file.NoSuchFileException(root + " (no chunk directory there)");
    }
    this.layout = new FsLayout(root);
    this.runner = runner;
    this.readOnly = true;
    this.lockChannel = null;
    this.lock = null;
  }

  private FsChunkStore(Path root, VirtualThreadRunner runner) throws IOException {
    this.layout = new FsLayout(root);
    this.runner = runner;
    this.readOnly = false;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    Files.createDirectories(layout.tmpDir());
    FileChannel channel =
        FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      channel.close();
      throw new CairnException(
          Kind.LOCKED, "chunk directory " + root + " is already in use by another open store");
    }
    this.lockChannel = channel;
    this.lock = acquired;
    try {
      removeLeftoverTempFiles();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Opens (creating it if needed) the store in directory {@code root}. Fails with INTERNAL when the
   * directory cannot be created, LOCKED when another store, in this or another process (a running
   * server), has it open.
   */
  public static Future<FsChunkStore> open(Path root) {
    Objects.requireNonNull(root, "root");
    VirtualThreadRunner runner = new VirtualThreadRunner("cairn-fs-chunks-");
    Path absolute = root.toAbsolutePath().normalize();
    return runner
        .run(() -> new FsChunkStore(absolute, runner), e -> failure("open " + absolute, e))
        .recover(
            e -> {
              runner.close();
              return Future.failedFuture(e);
            });
  }

  /**
   * Opens the store in directory {@code root} for reading only, beside a server that may have it
   * open: it takes no lock, creates nothing and leaves temp files alone, so it writes nothing;
   * {@link #put} and {@link #delete} fail with INTERNAL. For integrity checks ({@code cairn
   * fsck}). Fails with INTERNAL when {@code root} is not a directory.
   */
  public static Future<FsChunkStore> openReadOnly(Path root) {
    Objects.requireNonNull(root, "root");
    VirtualThreadRunner runner = new VirtualThreadRunner("cairn-fs-chunks-ro-");
    Path absolute = root.toAbsolutePath().normalize();
    return runner
        .run(() -> new FsChunkStore(absolute, runner, true), e -> failure("open " + absolute, e))
        .recover(
            e -> {
              runner.close();
              return Future.failedFuture(e);
            });
  }

  /**
   * Opens the store named by a {@code file:} URI: {@code file:///var/lib/cairn/chunks}, or {@code
   * file:relative/dir} relative to the working directory.
   */
  public static Future<FsChunkStore> open(URI uri) {
    if (uri == null || !"file".equalsIgnoreCase(uri.getScheme())) {
      return Future.failedFuture(
          new CairnException(Kind.INTERNAL, "not a file: URI for a chunk store: " + uri));
    }
    return open(uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri));
  }

  /** The directory this store keeps its chunks in. */
  public Path root() {
    return layout.root();
  }

  /**
   * The file that holds (or would hold) chunk {@code hash}. A chunk file is complete and never
   * changes once it has this name (it is written under tmp/ and renamed; a {@link #replace} renames
   * a new file over it), so {@code cairn backup} may link or copy it beside a running server.
   */
  public Path fileOf(ChunkHash hash) {
    return layout.chunkFile(hash);
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    return put(hash, data, true);
  }

  @Override
  public Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    return put(hash, data, false);
  }

  /** Written to tmp/, fsynced and renamed over the stored file, as a new chunk is. */
  @Override
  public Future<Void> replace(ChunkHash hash, Buffer data) {
    return put(hash, data, true, true).mapEmpty();
  }

  private Future<Boolean> put(ChunkHash hash, Buffer data, boolean verify) {
    return put(hash, data, verify, false);
  }

  private Future<Boolean> put(ChunkHash hash, Buffer data, boolean verify, boolean replace) {
    if (hash == null || data == null) {
      return badArgument("put needs a hash and data");
    }
    if (readOnly) {
      return badArgument("this chunk store was opened read-only");
    }
    if (data.length() <= INLINE_BYTES && inPlace()) {
      try {
        return Future.succeededFuture(store(hash, data, verify, replace));
      } catch (Throwable t) {
        return Future.failedFuture(failure("put chunk " + hash, t));
      }
    }
    return runner.run(() -> store(hash, data, verify, replace), e -> failure("put chunk " + hash, e));
  }

  /**
   * Whether a small call (or an open) may run on the caller's thread: a virtual thread outside any
   * Vert.x context (a request's). Handing a small read or write to another virtual thread and back
   * costs more than the I/O; large ones keep their own thread, so that read-ahead overlaps them.
   */
  private boolean inPlace() {
    return Thread.currentThread().isVirtual() && Vertx.currentContext() == null && !closed.get();
  }

  /** Chunks up to this size are read and written on the caller's virtual thread. */
  static final int INLINE_BYTES = 64 << 10;

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    if (hash == null) {
      return badArgument("get needs a hash");
    }
    if (inPlace()) {
      try {
        Buffer small = readIfSmall(hash);
        if (small != null) {
          return Future.succeededFuture(small);
        }
      } catch (Throwable t) {
        return Future.failedFuture(failure("get chunk " + hash, t));
      }
    }
    return runner.run(() -> readWhole(hash), e -> failure("get chunk " + hash, e));
  }

  /**
   * Reads the whole chunk and checks it against its name: INTERNAL when the bytes on disk hash to
   * something else, NOT_FOUND when there is no such chunk. For integrity checks; reads skip it.
   */
  public Future<Void> verify(ChunkHash hash) {
    if (hash == null) {
      return badArgument("verify needs a hash");
    }
    return runner.run(
        () -> {
          ChunkHash actual = ChunkHash.sha256(readBytes(hash));
          if (!actual.equals(hash)) {
            throw new CairnException(
                Kind.INTERNAL,
                "chunk " + hash + " is corrupt on disk (its bytes hash to " + actual + ")");
          }
          return null;
        },
        e -> failure("verify chunk " + hash, e));
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    if (hash == null || offset < 0 || length < 0) {
      return badArgument("get needs a hash, offset >= 0 and length >= 0");
    }
    return runner.run(
        () -> readRange(hash, offset, length), e -> failure("get range of chunk " + hash, e));
  }

  @Override
  public Future<ChunkFileRange> open(ChunkHash hash, long offset, long length) {
    if (hash == null || offset < 0 || length < 0) {
      return badArgument("open needs a hash, offset >= 0 and length >= 0");
    }
    if (inPlace()) {
      // An open is a metadata call, cheaper than a thread of its own: a 1 GiB GET opens ~1,000
      // chunk files, and a thread started, parked and woken for each cost the request more CPU.
      try {
        return Future.succeededFuture(openRange(hash, offset, length));
      } catch (Throwable t) {
        return Future.failedFuture(failure("open chunk " + hash, t));
      }
    }
    return runner.run(
        () -> openRange(hash, offset, length), e -> failure("open chunk " + hash, e));
  }

  @Override
  public Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes) {
    if (hashes == null || hashes.stream().anyMatch(Objects::isNull)) {
      return badArgument("missing needs a collection of hashes without nulls");
    }
    List<ChunkHash> copy = List.copyOf(hashes);
    return runner.run(
        () -> {
          Set<ChunkHash> absent = new HashSet<>();
          for (ChunkHash hash : copy) {
            if (!Files.exists(layout.chunkFile(hash))) {
              absent.add(hash);
            }
          }
          return absent;
        },
        e -> failure("check chunks", e));
  }

  @Override
  public Future<Void> delete(ChunkHash hash) {
    if (hash == null) {
      return badArgument("delete needs a hash");
    }
    if (readOnly) {
      return badArgument("this chunk store was opened read-only");
    }
    return runner.run(
        () -> {
          ReentrantLock stripe = stripe(hash);
          stripe.lock();
          try {
            // No directory fsync: a deleted chunk that reappears after a crash is only garbage.
            Files.deleteIfExists(layout.chunkFile(hash));
          } finally {
            stripe.unlock();
          }
          return null;
        },
        e -> failure("delete chunk " + hash, e));
  }

  @Override
  public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, Instant notAfter) {
    if (hash == null || notAfter == null) {
      return badArgument("deleteIfNotModifiedAfter needs a hash and a time");
    }
    if (readOnly) {
      return badArgument("this chunk store was opened read-only");
    }
    return runner.run(
        () -> {
          ReentrantLock stripe = stripe(hash); // the lock a put's refresh holds
          stripe.lock();
          try {
            Path file = layout.chunkFile(hash);
            try {
              if (Files.getLastModifiedTime(file).toInstant().isAfter(notAfter)) {
                return false;
              }
            } catch (NoSuchFileException e) {
              return false;
            }
            return Files.deleteIfExists(file);
          } finally {
            stripe.unlock();
          }
        },
        e -> failure("delete chunk " + hash, e));
  }

  @Override
  public Future<List<StoredChunk>> listStored(ChunkHash after, int limit) {
    if (limit <= 0) {
      return badArgument("list needs a limit > 0");
    }
    return runner.run(() -> described(layout.list(after, limit)), e -> failure("list chunks", e));
  }

  /** Each listed chunk's size and modification time; one deleted meanwhile is left out. */
  private List<StoredChunk> described(List<ChunkHash> hashes) throws IOException {
    List<StoredChunk> out = new ArrayList<>(hashes.size());
    for (ChunkHash hash : hashes) {
      try {
        BasicFileAttributes a = Files.readAttributes(layout.chunkFile(hash), BasicFileAttributes.class);
        out.add(new StoredChunk(hash, a.size(), a.lastModifiedTime().toInstant()));
      } catch (NoSuchFileException e) {
        // deleted between the directory read and now
      }
    }
    return out;
  }

  /**
   * A put found the chunk present: an upload relies on it from now on, so its modification time
   * must not look older than {@link #REFRESH_AFTER} to garbage collection (ADR 0012).
   */
  private static void refresh(Path chunk) throws IOException {
    Instant now = Instant.now();
    try {
      if (Files.getLastModifiedTime(chunk).toInstant().isBefore(now.minus(REFRESH_AFTER))) {
        Files.setLastModifiedTime(chunk, FileTime.from(now));
      }
    } catch (NoSuchFileException e) {
      throw new CairnException(Kind.TRANSIENT, "chunk " + chunk.getFileName() + " was deleted while being stored again");
    }
  }

  @Override
  public String backend() {
    return "fs";
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    runner.close();
    if (readOnly) {
      return;
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("could not release the lock on {}", layout.lockFile(), e);
    }
  }

  /** Stores the chunk; {@code replace}: over a present one too (a damaged chunk's, ADR 0016). */
  private boolean store(ChunkHash hash, Buffer data, boolean verify, boolean replace) throws IOException {
    // A view of the bytes, not a copy (getBytes would copy every chunk uploaded once more).
    ByteBuffer bytes = ((BufferInternal) data).getByteBuf().nioBuffer();
    ChunkHash actual = verify ? ChunkHash.sha256(data.getBytes()) : hash;
    if (!actual.equals(hash)) {
      throw new CairnException(
          Kind.INTERNAL,
          "chunk bytes do not match their name " + hash + " (they hash to " + actual + ")");
    }
    Path target = layout.chunkFile(hash);
    ReentrantLock stripe = stripe(hash);
    stripe.lock();
    try {
      if (!replace && Files.exists(target)) {
        ensureDurableDir(target.getParent());
        refresh(target);
        return false;
      }
    } finally {
      stripe.unlock();
    }
    // Written and fsynced outside the lock: concurrent puts of other chunks must not queue on it.
    Path tmp = writeTempFile(hash, bytes);
    try {
      stripe.lock();
      try {
        boolean present = Files.exists(target);
        if (present && !replace) {
          ensureDurableDir(target.getParent());
          refresh(target);
          return false;
        }
        ensureDurableDir(target.getParent());
        // rename(2) replaces an existing file atomically: a reader opens the old or the new one.
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.getParent());
        return !present;
      } finally {
        stripe.unlock();
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Path writeTempFile(ChunkHash hash, ByteBuffer buf) throws IOException {
    Path tmp = layout.tmpDir().resolve(hash.hex() + "." + tmpCounter.incrementAndGet() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SlicedFileIo.writeFully(ch, buf);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /**
   * Makes sure {@code dir} exists and that its entries up to the root are on disk, once per
   * directory and process. Also covers a predecessor that crashed between a rename and its fsync.
   */
  private void ensureDurableDir(Path dir) throws IOException {
    if (durableDirs.contains(dir)) {
      return;
    }
    Files.createDirectories(dir);
    fsyncDirectory(dir);
    for (Path p = dir.getParent(); p != null && p.startsWith(layout.root()); p = p.getParent()) {
      fsyncDirectory(p);
    }
    durableDirs.add(dir);
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private Buffer readWhole(ChunkHash hash) throws IOException {
    // Wrapped, not copied: Buffer.buffer(byte[]) would copy every chunk a GET sends once more.
    return BufferInternal.buffer(Unpooled.wrappedBuffer(readBytes(hash)));
  }

  /** The whole chunk when it is at most {@link #INLINE_BYTES} long, else null. */
  private Buffer readIfSmall(ChunkHash hash) throws IOException {
    try (FileChannel ch = FileChannel.open(layout.chunkFile(hash), StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > INLINE_BYTES) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // until the end of the file
      }
      return BufferInternal.buffer(Unpooled.wrappedBuffer(buf.array(), 0, buf.position()));
    } catch (NoSuchFileException e) {
      throw CairnException.notFound("no chunk " + hash);
    }
  }

  private byte[] readBytes(ChunkHash hash) throws IOException {
    try (FileChannel ch = FileChannel.open(layout.chunkFile(hash), StandardOpenOption.READ)) {
      return SlicedFileIo.readAll(ch);
    } catch (NoSuchFileException e) {
      throw CairnException.notFound("no chunk " + hash);
    }
  }

  private Buffer readRange(ChunkHash hash, long offset, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(layout.chunkFile(hash), StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset >= size || length == 0) {
        return Buffer.buffer();
      }
      // A chunk is a few MiB at most, so the range always fits in one array.
      int n = (int) Math.min(length, size - offset);
      ByteBuffer buf = ByteBuffer.allocate(n);
      int read = SlicedFileIo.read(ch, buf, offset);
      // Wrapped: copying the bytes read into another array held each range twice.
      return BufferInternal.buffer(Unpooled.wrappedBuffer(buf.array(), 0, read));
    } catch (NoSuchFileException e) {
      throw CairnException.notFound("no chunk " + hash);
    }
  }

  private ChunkFileRange openRange(ChunkHash hash, long offset, long length) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(layout.chunkFile(hash), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw CairnException.notFound("no chunk " + hash);
    }
    try {
      long size = ch.size();
      long start = Math.min(offset, size);
      return new ChunkFileRange(ch, start, Math.min(length, size - start));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void removeLeftoverTempFiles() throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(layout.tmpDir())) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.info("removed {} unfinished chunk file(s) left in {}", removed, layout.tmpDir());
    }
  }

  private ReentrantLock stripe(ChunkHash hash) {
    return stripes[Math.floorMod(hash.hashCode(), LOCK_STRIPES)];
  }

  private static <T> Future<T> badArgument(String message) {
    return Future.failedFuture(new CairnException(Kind.INTERNAL, "bad argument: " + message));
  }

  /** Maps a failure of {@code what} to the store's one exception type. */
  private static CairnException failure(String what, Throwable t) {
    if (t instanceof CairnException se) {
      return se;
    }
    if (t instanceof UncheckedIOException u) {
      t = u.getCause();
    }
    String message = String.valueOf(t.getMessage());
    if (t instanceof IOException
        && (message.contains("No space left on device") || message.contains("quota exceeded"))) {
      return new CairnException(Kind.INSUFFICIENT_STORAGE, what + ": disk full", t);
    }
    return new CairnException(Kind.INTERNAL, what + " failed: " + t, t);
  }
}
