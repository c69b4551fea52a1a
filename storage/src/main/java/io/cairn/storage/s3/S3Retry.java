package io.cairn.storage.s3;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries one S3 request while it fails transiently ({@link S3Errors#isTransient}), at most {@code
 * maxAttempts} times, waiting between tries with exponential backoff and jitter. Waiting blocks no
 * thread: the next try is scheduled. Any other failure, a missing key above all, ends at once.
 */
final class S3Retry {
  private static final Logger LOG = LoggerFactory.getLogger(S3Retry.class);

  private final int maxAttempts;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;
  private final Executor executor;

  /** {@code executor} must never reject a task (a closed store runs them inline). */
  S3Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Executor executor) {
    this.maxAttempts = maxAttempts;
    this.initialBackoffMillis = initialBackoff.toMillis();
    this.maxBackoffMillis = maxBackoff.toMillis();
    this.executor = executor;
  }

  /**
   * Runs {@code request} (which starts a new request each time it is called) until it succeeds, it
   * fails for good, or the attempts are used up. The result fails with the CairnException for
   * {@code what}.
   */
  <T> CompletableFuture<T> run(String what, Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> result = new CompletableFuture<>();
    // Even the first try leaves the caller's thread: minio hashes and signs the request inline.
    executor.execute(() -> attempt(what, request, 1, result));
    return result;
  }

  private <T> void attempt(
      String what, Supplier<CompletableFuture<T>> request, int n, CompletableFuture<T> result) {
    CompletableFuture<T> call;
    try {
      call = request.get();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    if (call == null) {
      call = CompletableFuture.failedFuture(new IllegalStateException("no request started"));
    }
    call.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else if (n < maxAttempts && S3Errors.isTransient(failure)) {
            long delay = backoffMillis(n);
            LOG.debug("{}: try {} failed ({}), retrying in {} ms", what, n, failure, delay);
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor)
                .execute(() -> attempt(what, request, n + 1, result));
          } else {
            result.completeExceptionally(S3Errors.toStorage(what, failure, n));
          }
        });
  }

  /** Half fixed, half random ("equal jitter"), so that many clients do not retry in step. */
  private long backoffMillis(int failedAttempts) {
    long ceiling = initialBackoffMillis << Math.min(failedAttempts - 1, 30);
    long delay = Math.min(maxBackoffMillis, ceiling);
    long half = delay / 2;
    return half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
  }
}
