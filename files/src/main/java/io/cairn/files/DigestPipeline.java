package io.cairn.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Computes {@link ContentDigests} of one body as its chunks are cut, beside the chunk hashing and
 * storing: each chunk is digested on {@code workers} after the one before it (a digest is
 * sequential), so the reading thread only hands chunks over and the data is not read twice. Each
 * type runs as a chain of its own, so that on several cores the longest path is the slowest digest
 * alone rather than all in a row. SHA-1 runs at about 1.7 GB/s per CPU second here (the JDK uses the
 * CPU's SHA instructions), MD5 at about 650-775 MB/s, which is why MD5 is computed only on request
 * ({@code upload.digests}, docs/adr/0008). Used by one upload's reading thread.
 */
final class DigestPipeline {
  private final MessageDigest sha1;
  private final MessageDigest md5;
  private final Executor workers;
  private CompletableFuture<Void> sha1Tail = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> md5Tail = CompletableFuture.completedFuture(null);

  /** Computes the digests of {@code types}; none at all when it is empty. */
  DigestPipeline(Executor workers, Set<DigestType> types) {
    this.workers = workers;
    this.sha1 = types.contains(DigestType.SHA1) ? newDigest(DigestType.SHA1) : null;
    this.md5 = types.contains(DigestType.MD5) ? newDigest(DigestType.MD5) : null;
  }

  /** Queues {@code chunk} (which nobody changes any more); completes when it has been digested. */
  CompletableFuture<Void> add(byte[] chunk) {
    if (sha1 != null) {
      sha1Tail = sha1Tail.thenRunAsync(() -> sha1.update(chunk), workers);
    }
    if (md5 != null) {
      md5Tail = md5Tail.thenRunAsync(() -> md5.update(chunk), workers);
    }
    return md5 == null ? sha1Tail : sha1 == null ? md5Tail : CompletableFuture.allOf(sha1Tail, md5Tail);
  }

  /** Digests {@code chunk} on this thread, after everything queued (for a body of one chunk). */
  void addHere(byte[] chunk) {
    CompletableFuture.allOf(sha1Tail, md5Tail).join();
    if (sha1 != null) {
      sha1.update(chunk);
    }
    if (md5 != null) {
      md5.update(chunk);
    }
  }

  /** The digests of everything added, once all of it has been digested; null when none were asked for. */
  ContentDigests finish() {
    CompletableFuture.allOf(sha1Tail, md5Tail).join();
    if (sha1 == null && md5 == null) {
      return null;
    }
    return ContentDigests.of(sha1 == null ? null : sha1.digest(), md5 == null ? null : md5.digest());
  }

  private static MessageDigest newDigest(DigestType type) {
    try {
      return MessageDigest.getInstance(type.algorithm());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(type.algorithm() + " is missing from this JDK", e);
    }
  }
}
