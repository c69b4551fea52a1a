package io.cairn.files;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * The one bridge from storage futures to the blocking code milton runs: parks the calling virtual
 * thread until a future completes. Never call it on an event loop.
 */
public final class Await {
  private Await() {}

  /**
   * The future's result; its failure rethrown unchanged when it is a RuntimeException (typically a
   * {@link CairnException}), or wrapped as INTERNAL otherwise.
   */
  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new CairnException(CairnException.Kind.INTERNAL, "storage call failed", cause);
    }
  }
}
