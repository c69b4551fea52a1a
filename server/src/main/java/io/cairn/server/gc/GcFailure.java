package io.cairn.server.gc;

/**
 * A run stopped: the journal or the chunk store failed or did not answer. When it happens while
 * marking, nothing was deleted (the mark fails closed); while sweeping, what was deleted before
 * was garbage, and the rest waits for the next run.
 */
public final class GcFailure extends RuntimeException {
  GcFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
