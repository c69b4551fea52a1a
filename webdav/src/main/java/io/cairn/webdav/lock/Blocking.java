package io.cairn.webdav.lock;

import io.cairn.core.CairnException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;

/**
 * The one bridge from the lock manager's futures to milton's synchronous handlers, which run on
 * virtual threads where waiting is cheap. Refuses to wait on an event loop, where it would hang.
 */
final class Blocking {
  private Blocking() {}

  /** The future's value; its failure rethrown as a CairnException (INTERNAL when foreign). */
  static <T> T await(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("lock calls from milton must not run on an event loop");
    }
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CairnException se) {
        throw se;
      }
      throw new CairnException(CairnException.Kind.INTERNAL, "lock manager failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(CairnException.Kind.TRANSIENT, "interrupted", e);
    }
  }
}
