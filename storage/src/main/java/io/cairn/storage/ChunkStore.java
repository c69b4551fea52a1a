package io.cairn.storage;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Content-addressed, immutable chunks named by the SHA-256 of their bytes.
 *
 * <p>A chunk is bounded by the chunker's maximum size (a few MiB), so one chunk travels as one
 * {@link Buffer}; a file streams as its sequence of chunks. Implementations are safe to call from
 * any thread, never block the caller's event loop, and fail their futures with {@link
 * CairnException} (TRANSIENT when the backend is unreachable, INTERNAL for other failures). A
 * store that checks what it reads fails a chunk whose bytes do not hash to its name with DAMAGED.
 */
public interface ChunkStore extends AutoCloseable {

  /**
   * A {@link #put} of a chunk already present leaves its {@link StoredChunk#lastModified} no older
   * than this: garbage collection reads that time as "some writer relied on this chunk then" (ADR
   * 0012), so its grace period must be longer than this plus the longest upload.
   */
  Duration REFRESH_AFTER = Duration.ofHours(1);

  /**
   * Stores {@code data} under {@code hash} unless a chunk of that name is there already. The bytes
   * are verified against the hash before they are kept (a mismatch fails with INTERNAL and stores
   * nothing). When the future succeeds the chunk is durable: it survives a crash of this process
   * and of the machine.
   *
   * <p>When the chunk is present already its last-modified time is refreshed to now if it is older
   * than {@link #REFRESH_AFTER}, so that a chunk an upload relies on is not garbage-collected under
   * it (ADR 0012).
   *
   * @return true if the chunk was newly stored, false if it was present
   */
  Future<Boolean> put(ChunkHash hash, Buffer data);

  /**
   * As {@link #put}, for a hash the caller has just computed with {@link ChunkHash#sha256} from
   * these very bytes, in this process: the store may skip verifying them, which is a second
   * SHA-256 of every byte uploaded. Never for a hash that came from outside (a client's). A
   * decorator that changes {@link #put} changes this too. By default the same as {@code put}.
   */
  default Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    return put(hash, data);
  }

  /**
   * Stores {@code data} under {@code hash} even when a chunk of that name is there: for a chunk
   * recorded as damaged (ADR 0016), whose stored copy is missing or does not hash to its name, and
   * which an upload of the same content brings back. The bytes are verified against the hash first
   * (a mismatch fails with INTERNAL and changes nothing); the stored copy is replaced at once, so a
   * reader gets the old bytes or the new, never a mix; when the future succeeds the new bytes are
   * durable. Not for the ordinary upload path, where {@link #put} keeps a present chunk and writes
   * nothing.
   */
  Future<Void> replace(ChunkHash hash, Buffer data);

  /**
   * The whole chunk. NOT_FOUND when there is no such chunk; DAMAGED when the store checks the bytes
   * (S3 does) and they do not hash to its name.
   */
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
   * Removes the chunk only when its last-modified time is not after {@code notAfter}: garbage
   * collection deletes an unreferenced chunk this way, so that a chunk a {@link #put} refreshed
   * since it was listed stays. On the local disk the check and the removal are atomic against a
   * put in this process; on S3 they are a stat and a delete, and a put landing between the two
   * is not seen: garbage collection announces its deletions in the journal ({@link
   * ChunkDeletions}, ADR 0015), and commits check them.
   *
   * @return true when the chunk was removed, false when it was absent or newer
   */
  Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, java.time.Instant notAfter);

  /**
   * Up to {@code limit} chunk names in ascending order, strictly after {@code after} (null: from
   * the start). An empty list means the listing is complete. For integrity checks.
   */
  default Future<List<ChunkHash>> list(ChunkHash after, int limit) {
    return listStored(after, limit).map(page -> page.stream().map(StoredChunk::hash).toList());
  }

  /**
   * As {@link #list}, with each chunk's size and last-modified time: up to {@code limit} chunks in
   * ascending order of name, strictly after {@code after} (null: from the start); an empty list
   * means the listing is complete. A chunk deleted while the listing runs may be left out. For
   * garbage collection, which pages through every stored chunk with it.
   */
  Future<List<StoredChunk>> listStored(ChunkHash after, int limit);

  /** The backend's short name for logs and metrics labels: "fs", "s3". */
  String backend();

  /** Releases connections and threads. */
  @Override
  void close();
}
