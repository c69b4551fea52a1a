package io.cairn.server.scrub;

/** A scrub step could not go on: the storage failed or did not answer. The pass resumes later. */
public final class ScrubFailure extends RuntimeException {
  ScrubFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
