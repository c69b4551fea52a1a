package io.cairn.client;

import io.cairn.client.LocalTree.Local;
import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunk;
import io.cairn.core.chunk.ChunkStream;
import io.cairn.core.chunk.Chunker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Moving file content: cutting a local file into the server's chunks, sending only the chunks the
 * server lacks, and rebuilding a remote file from chunks already on disk (any local file that holds
 * them) and from the server, into a temporary file renamed into place. Memory stays bounded: a file
 * is read one chunk at a time, and at most {@code inFlight} chunks are held by uploads at once.
 */
final class Transfers {
  /**
   * A local file read into the server's chunks, with where each chunk starts; {@code sent}: the
   * chunks the server lacked were sent while reading ({@code sentBytes} of them), else -1.
   */
  record Hashed(Local local, Blocklist blocklist, long[] offsets, long sentBytes) {
    Hashed(Local local, Blocklist blocklist, long[] offsets) {
      this(local, blocklist, offsets, -1);
    }
  }

  /** Chunks asked about at once while a file is read and sent ({@link #hashAndSend}). */
  static final int SEND_BATCH = 16;

  /** The file changed while it was being read: nothing was committed; the next pass retries. */
  static final class Torn extends IOException {
    Torn(Path file) {
      super(file + " changed while it was being read; it will be sent once it is still");
    }
  }

  private record Source(Path file, long offset, int length) {}

  private final Remote remote;
  private final Chunker chunker;
  private final Path tmp;
  private final Stats stats;
  private final ExecutorService chunkPool;
  private final Semaphore inFlight;
  private final Map<ChunkHash, Source> sources = new ConcurrentHashMap<>();

  Transfers(Remote remote, Chunker chunker, Path tmp, Stats stats, ExecutorService chunkPool, int inFlight) {
    this.remote = remote;
    this.chunker = chunker;
    this.tmp = tmp;
    this.stats = stats;
    this.chunkPool = chunkPool;
    this.inFlight = new Semaphore(inFlight);
  }

  /** Remembers that {@code file} holds {@code blocklist}'s chunks, for downloads to reuse. */
  void remember(Path file, Blocklist blocklist) {
    long offset = 0;
    for (BlockRef b : blocklist.blocks()) {
      sources.putIfAbsent(b.hash(), new Source(file, offset, b.length()));
      offset += b.length();
    }
  }

  /**
   * A file that may still be as the base has it may hold the base's chunks: downloads may copy
   * them (each chunk read is checked against its hash, so a file changed since costs a fetch, never
   * a wrong byte).
   */
  void rememberUnchanged(Map<String, Node> base, Map<String, Local> local) {
    for (Map.Entry<String, Node> e : base.entrySet()) {
      Local l = local.get(e.getKey());
      Node b = e.getValue();
      if (!b.folder() && l != null && !l.folder() && l.size() == b.size()) {
        remember(l.file(), b.blocklist());
      }
    }
  }

  /**
   * Remembers the chunks of a partial download a killed run left behind, so the next run copies
   * them instead of fetching them again: the file is a prefix of the content it was becoming, so
   * cut the same way it holds the same chunks (all but its last). Read errors just lose the reuse.
   */
  void rememberPartial(Path part) {
    try (InputStream in = Files.newInputStream(part); ChunkStream chunks = chunker.stream(in)) {
      long at = 0;
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        sources.putIfAbsent(c.hash(), new Source(part, at, c.length()));
        at += c.length();
      }
    } catch (IOException e) {
      // nothing to reuse from it
    }
  }

  /** Cuts {@code local} into chunks; {@link Torn} when it changed meanwhile. */
  Hashed hash(Local local) throws IOException {
    List<BlockRef> refs = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    try (InputStream in = Files.newInputStream(local.file()); ChunkStream chunks = chunker.stream(in)) {
      long at = 0;
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        refs.add(c.ref());
        offsets.add(at);
        at += c.length();
      }
    }
    Local after = LocalTree.stat(local.file());
    if (after == null || after.size() != local.size() || after.mtime() != local.mtime()) {
      throw new Torn(local.file());
    }
    long[] at = offsets.stream().mapToLong(Long::longValue).toArray();
    return new Hashed(local, new Blocklist(refs), at);
  }

  /**
   * Reads {@code local} once: cuts it, asks the server which of each batch of chunks it lacks and
   * sends those while reading on, so reading and sending overlap and no chunk is read twice. A chunk
   * waits in memory only until it is sent (at most {@code inFlight} of them at once). {@link Torn}
   * when the file changed meanwhile: the chunks sent are then harmless (each is what its hash
   * says), and nothing is committed.
   */
  Hashed hashAndSend(Local local) throws IOException {
    List<BlockRef> refs = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    Set<ChunkHash> seen = new HashSet<>();
    List<Chunk> batch = new ArrayList<>();
    List<Future<Void>> sends = new ArrayList<>();
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    try (InputStream in = Files.newInputStream(local.file()); ChunkStream chunks = chunker.stream(in)) {
      long at = 0;
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        refs.add(c.ref());
        offsets.add(at);
        at += c.length();
        if (!seen.add(c.hash())) {
          continue;
        }
        if (!inFlight.tryAcquire()) {
          flush(batch, sends, sent); // frees permits as its sends finish
          acquire();
        }
        batch.add(c);
        if (batch.size() >= SEND_BATCH) {
          flush(batch, sends, sent);
        }
      }
      flush(batch, sends, sent);
    } finally {
      inFlight.release(batch.size()); // chunks read but never asked about (a failure on the way)
      await(sends);
    }
    Local after = LocalTree.stat(local.file());
    if (after == null || after.size() != local.size() || after.mtime() != local.mtime()) {
      throw new Torn(local.file());
    }
    return new Hashed(local, new Blocklist(refs), offsets.stream().mapToLong(Long::longValue).toArray(), sent.get());
  }

  /** Asks which chunks of {@code batch} the server lacks and sends those; each holds a permit. */
  private void flush(List<Chunk> batch, List<Future<Void>> sends, java.util.concurrent.atomic.AtomicLong sent)
      throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<String> hexes = new ArrayList<>(batch.size());
    batch.forEach(c -> hexes.add(c.hash().hex()));
    List<Chunk> asked = new ArrayList<>(batch);
    batch.clear();
    Set<String> missing;
    try {
      missing = new HashSet<>(remote.missing(hexes));
    } catch (IOException | RuntimeException e) {
      inFlight.release(asked.size());
      throw e;
    }
    for (Chunk c : asked) {
      if (!missing.contains(c.hash().hex())) {
        inFlight.release();
        continue;
      }
      sends.add(chunkPool.submit(() -> {
        try {
          remote.putChunk(c.hash(), c.data(), c.length());
          stats.bytesSent.addAndGet(c.length());
          sent.addAndGet(c.length());
          return null;
        } finally {
          inFlight.release();
        }
      }));
    }
  }

  /**
   * Sends the chunks of {@code h} the server lacks, then commits it at {@code path}.
   *
   * @return the commit's answer
   */
  Map<String, Object> upload(Hashed h, String path, Long base, String onConflict) throws IOException {
    return upload(h, path, base, onConflict, null);
  }

  /**
   * As {@link #upload(Hashed, String, Long, String)}, with the chunks the server lacks already
   * asked for ({@code known}: the missing among them; null to ask).
   */
  Map<String, Object> upload(Hashed h, String path, Long base, String onConflict, Set<String> known) throws IOException {
    Map<ChunkHash, Integer> firstIndex = new LinkedHashMap<>();
    List<BlockRef> blocks = h.blocklist().blocks();
    for (int i = 0; i < blocks.size(); i++) {
      firstIndex.putIfAbsent(blocks.get(i).hash(), i);
    }
    Set<String> missing = new HashSet<>();
    if (h.sentBytes() >= 0) {
      // sent while it was read (hashAndSend)
    } else if (known != null) {
      firstIndex.keySet().forEach(c -> {
        if (known.contains(c.hex())) {
          missing.add(c.hex());
        }
      });
    } else {
      missing.addAll(missing(List.of(h)));
    }
    send(h, firstIndex, missing);
    long deduped = h.local().size() - Math.max(0, h.sentBytes());
    for (String m : missing) {
      deduped -= blocks.get(firstIndex.get(ChunkHash.parse(m))).length();
    }
    try {
      Map<String, Object> answer = remote.commit(path, h.blocklist(), h.local().mtime(), base, onConflict);
      stats.bytesDeduped.addAndGet(Math.max(0, deduped));
      remember(h.local().file(), h.blocklist());
      return answer;
    } catch (Remote.ApiError e) {
      if (!"missing_chunks".equals(e.code)) {
        throw e;
      }
      // Claimed present a moment ago, gone now (expired from this caller's scope): send, once more.
      @SuppressWarnings("unchecked")
      List<String> again = (List<String>) e.body.get("missing");
      send(h, firstIndex, new HashSet<>(again));
      return remote.commit(path, h.blocklist(), h.local().mtime(), base, onConflict);
    }
  }

  /** Which chunks of {@code files} the server lacks: one question per 10,000 chunks. */
  Set<String> missing(List<Hashed> files) throws IOException {
    Set<String> hexes = new java.util.LinkedHashSet<>();
    for (Hashed h : files) {
      h.blocklist().blocks().forEach(b -> hexes.add(b.hash().hex()));
    }
    List<String> all = new ArrayList<>(hexes);
    Set<String> missing = new HashSet<>();
    if (all.isEmpty()) {
      return missing; // empty files: nothing to ask
    }
    for (int from = 0; from < all.size(); from += 10_000) {
      missing.addAll(remote.missing(all.subList(from, Math.min(all.size(), from + 10_000))));
    }
    return missing;
  }

  private void send(Hashed h, Map<ChunkHash, Integer> firstIndex, Set<String> missing) throws IOException {
    List<Future<Void>> sends = new ArrayList<>();
    try (FileChannel in = FileChannel.open(h.local().file(), StandardOpenOption.READ)) {
      for (String hex : missing) {
        ChunkHash hash = ChunkHash.parse(hex);
        int i = firstIndex.get(hash);
        int length = h.blocklist().blocks().get(i).length();
        long offset = h.offsets()[i];
        acquire();
        byte[] data;
        try {
          data = read(in, offset, length);
          if (!ChunkHash.sha256(data).equals(hash)) {
            throw new Torn(h.local().file());
          }
        } catch (IOException | RuntimeException e) {
          inFlight.release();
          throw e;
        }
        sends.add(chunkPool.submit(() -> {
          try {
            remote.putChunk(hash, data, length);
            stats.bytesSent.addAndGet(length);
            return null;
          } finally {
            inFlight.release();
          }
        }));
      }
    } finally {
      await(sends);
    }
  }

  /**
   * Writes {@code node}'s content to a temporary file, reusing chunks already on disk, and renames
   * it to {@code target} if what is there is still {@code expected} (null: nothing). Returns false,
   * leaving {@code target} alone, when it changed meanwhile.
   */
  boolean download(Node node, Path target, Local expected) throws IOException {
    if (!node.complete()) {
      throw new IllegalStateException("no blocklist for " + target + ": fetch the entry with blocklist=1 first");
    }
    Files.createDirectories(tmp);
    Path part = tmp.resolve(UUID.randomUUID() + ".part");
    try {
      try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (BlockRef b : node.blocklist().blocks()) {
          byte[] data = local(b);
          if (data == null) {
            data = remote.getChunk(b.hash());
            if (!ChunkHash.sha256(data).equals(b.hash()) || data.length != b.length()) {
              throw new IOException("the server sent a chunk that is not " + b.hash().hex());
            }
            stats.bytesReceived.addAndGet(data.length);
          } else {
            stats.bytesReused.addAndGet(data.length);
            stats.chunksReused.incrementAndGet();
          }
          ByteBuffer buf = ByteBuffer.wrap(data);
          while (buf.hasRemaining()) {
            out.write(buf);
          }
        }
        out.force(true);
      }
      Files.setLastModifiedTime(part, FileTime.fromMillis(node.mtime()));
      Local now = LocalTree.stat(target);
      boolean unchanged = expected == null
          ? now == null
          : now != null && !now.folder() && now.size() == expected.size() && now.mtime() == expected.mtime();
      if (!unchanged) {
        return false;
      }
      Files.createDirectories(target.getParent());
      if (expected == null) {
        // Nothing was there: never over a file that appeared meanwhile. A hard link fails if the
        // name is taken, atomically; where links do not work, a move that refuses a taken name.
        try {
          Files.createLink(target, part);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          return false;
        } catch (UnsupportedOperationException | IOException e) {
          Files.move(part, target);
        }
      } else {
        try {
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      remember(target, node.blocklist());
      return true;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** The chunk from a local file that holds it (checked against its hash), or null. */
  private byte[] local(BlockRef b) {
    Source s = sources.get(b.hash());
    if (s == null || s.length() != b.length()) {
      return null;
    }
    try (FileChannel in = FileChannel.open(s.file(), StandardOpenOption.READ)) {
      byte[] data = read(in, s.offset(), s.length());
      if (ChunkHash.sha256(data).equals(b.hash())) {
        return data;
      }
    } catch (IOException e) {
      // moved or changed since: fetch it instead
    }
    sources.remove(b.hash(), s);
    return null;
  }

  private static byte[] read(FileChannel in, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (in.read(buf, offset + buf.position()) < 0) {
        throw new IOException("short read");
      }
    }
    return buf.array();
  }

  private void acquire() throws IOException {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void await(List<Future<Void>> futures) throws IOException {
    IOException first = null;
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) {
          throw r;
        }
        if (first == null) {
          first = c instanceof IOException io ? io : new IOException(c);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
