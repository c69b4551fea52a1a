package io.cairn.server.backup;

/**
 * A backup that failed: part way (the target may hold part of it; running it again completes it),
 * or before it wrote anything ({@link #couldNotStart()}: a server runs on the target).
 */
final class BackupFailure extends RuntimeException {
  private final boolean couldNotStart;

  BackupFailure(String message, Throwable cause, boolean couldNotStart) {
    super(message, cause);
    this.couldNotStart = couldNotStart;
  }

  /** Whether nothing was written, because the backup could not start (exit status 2, not 1). */
  boolean couldNotStart() {
    return couldNotStart;
  }
}
