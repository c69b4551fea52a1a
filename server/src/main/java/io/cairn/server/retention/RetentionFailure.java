package io.cairn.server.retention;

/** A retention run that could not finish: the journal failed or did not answer, or the lease was lost. */
public final class RetentionFailure extends RuntimeException {
  public RetentionFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
