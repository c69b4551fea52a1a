package io.cairn.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Computes {@link ContentDigests} of one body as its chunks are cut, beside the chunk hashing and
 * storing: each chunk is digested on {@code workers} after the one before it (a digest is
 * sequential), so the reading thread only hands chunks over and the data is not read twice. Used by
 * one upload's reading thread.
 */
final class DigestPipeline {
  private final MessageDigest sha1 = newDigest("SHA-1");
  private final MessageDigest md5 = newDigest("MD5");
  private final Executor workers;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  DigestPipeline(Executor workers) {
    this.workers = workers;
  }

  /** Queues {@code chunk} (which nobody changes any more); completes when it has been digested. */
  CompletableFuture<Void> add(byte[] chunk) {
    tail = tail.thenRunAsync(() -> update(chunk), workers);
    return tail;
  }

  /** Digests {@code chunk} on this thread, after everything queued (for a body of one chunk). */
  void addHere(byte[] chunk) {
    tail.join();
    update(chunk);
  }

  /** The digests of everything added, once all of it has been digested. */
  ContentDigests finish() {
    tail.join();
    return ContentDigests.of(sha1.digest(), md5.digest());
  }

  private void update(byte[] chunk) {
    sha1.update(chunk);
    md5.update(chunk);
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
