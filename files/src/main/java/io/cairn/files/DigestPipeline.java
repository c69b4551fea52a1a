package io.cairn.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Computes {@link ContentDigests} of one body as its chunks are cut, beside the chunk hashing and
 * storing: each chunk is digested on {@code workers} after the one before it (a digest is
 * sequential), so the reading thread only hands chunks over and the data is not read twice. SHA-1
 * and MD5 run as two chains of their own, so that on several cores the longest path is MD5 alone
 * (about 650 MB/s on one core here) rather than both in a row. Together they cost about 2.3 s of
 * CPU per GiB (bench/put-1gib.sh and docs/adr/0007). Used by one upload's reading thread.
 */
final class DigestPipeline {
  private final MessageDigest sha1 = newDigest("SHA-1");
  private final MessageDigest md5 = newDigest("MD5");
  private final Executor workers;
  private CompletableFuture<Void> sha1Tail = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> md5Tail = CompletableFuture.completedFuture(null);

  DigestPipeline(Executor workers) {
    this.workers = workers;
  }

  /** Queues {@code chunk} (which nobody changes any more); completes when it has been digested. */
  CompletableFuture<Void> add(byte[] chunk) {
    sha1Tail = sha1Tail.thenRunAsync(() -> sha1.update(chunk), workers);
    md5Tail = md5Tail.thenRunAsync(() -> md5.update(chunk), workers);
    return CompletableFuture.allOf(sha1Tail, md5Tail);
  }

  /** Digests {@code chunk} on this thread, after everything queued (for a body of one chunk). */
  void addHere(byte[] chunk) {
    CompletableFuture.allOf(sha1Tail, md5Tail).join();
    sha1.update(chunk);
    md5.update(chunk);
  }

  /** The digests of everything added, once all of it has been digested. */
  ContentDigests finish() {
    CompletableFuture.allOf(sha1Tail, md5Tail).join();
    return ContentDigests.of(sha1.digest(), md5.digest());
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
