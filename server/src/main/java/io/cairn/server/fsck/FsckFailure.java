package io.cairn.server.fsck;

/** The check could not go on: the storage failed or did not answer. Exit status 2, one line. */
public final class FsckFailure extends RuntimeException {
  FsckFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
