package io.cairn.files;

import io.cairn.core.CairnException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one bridge from futures (storage's, the lock manager's, a prefetch's) to blocking code on
 * virtual threads (milton's, every front's): parks the calling virtual thread, where waiting is
 * cheap, until the future completes. Refuses to wait on an event loop, where it would hang it.
 */
public final class Await {
  private Await() {}

  /**
   * The future's result; its failure rethrown unchanged when it is a RuntimeException (typically a
   * {@link CairnException}), or wrapped as INTERNAL otherwise.
   *
   * @throws IllegalStateException when called on an event loop thread
   */
  public static <T> T result(Future<T> future) {
    return result(future.toCompletionStage());
  }

  /** As {@link #result(Future)}, for a stage from {@code java.util.concurrent}. */
  public static <T> T result(CompletionStage<T> stage) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("blocking wait on an event loop");
    }
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new CairnException(CairnException.Kind.INTERNAL, String.valueOf(cause), cause);
    }
  }
}
