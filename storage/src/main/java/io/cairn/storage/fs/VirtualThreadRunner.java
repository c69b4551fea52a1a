package io.cairn.storage.fs;

import io.cairn.core.CairnException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one place where the file-system store's blocking calls leave the caller's thread: each call
 * runs on its own virtual thread, and its result comes back as a Vert.x {@link Future} whose
 * handlers run on the caller's Vert.x context when there is one.
 */
final class VirtualThreadRunner implements AutoCloseable {

  /** A blocking call; whatever it throws is turned into a {@link CairnException}. */
  @FunctionalInterface
  interface BlockingCall<T> {
    T call() throws Exception;
  }

  private static final long CLOSE_WAIT_SECONDS = 30;

  private final ExecutorService executor;
  private final ThreadLocal<Boolean> insideRunner = ThreadLocal.withInitial(() -> false);

  VirtualThreadRunner(String threadNamePrefix) {
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadNamePrefix, 0).factory());
  }

  /**
   * Runs {@code call} on a virtual thread. Its failure is mapped by {@code errors}; a call after
   * {@link #close()} fails with INTERNAL.
   */
  <T> Future<T> run(BlockingCall<T> call, Function<Throwable, CairnException> errors) {
    Context context = Vertx.currentContext();
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            insideRunner.set(true);
            try {
              result.complete(call.call());
            } catch (Throwable t) {
              result.completeExceptionally(errors.apply(t));
            }
          });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(
          new CairnException(CairnException.Kind.INTERNAL, "the chunk store is closed", e));
    }
    // Without a context (plain threads, tests) handlers run on the completing virtual thread.
    return context == null
        ? Future.fromCompletionStage(result)
        : Future.fromCompletionStage(result, context);
  }

  /**
   * Refuses new calls and waits (bounded) for running ones, so that a put in flight still ends
   * durable. Called from one of its own threads (a handler without a Vert.x context) it cannot wait
   * for itself, and only refuses new calls.
   */
  @Override
  public void close() {
    executor.shutdown();
    if (insideRunner.get()) {
      return;
    }
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
