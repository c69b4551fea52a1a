package io.cairn.core;

/**
 * The one failure type of the storage (and cluster) layers. The {@link Kind} says what went wrong in
 * terms the protocol layer maps to an HTTP status in exactly one place; whether a retry can help is
 * data on the error ({@link #retryable()}), not a guess made by the caller.
 */
public final class CairnException extends RuntimeException {

  /** What went wrong, independent of the backend. */
  public enum Kind {
    /** The path, namespace or chunk does not exist (HTTP 404). */
    NOT_FOUND,
    /** The thing to create exists already (HTTP 405 for MKCOL, 409 elsewhere). */
    ALREADY_EXISTS,
    /** The change does not fit the current tree: missing parent, file where a folder is needed (HTTP 409). */
    CONFLICT,
    /** A lock held by someone else forbids the change (HTTP 423). */
    LOCKED,
    /** The caller's expectation (expected version, Overwrite: F) does not hold (HTTP 412). */
    PRECONDITION_FAILED,
    /** No room: quota or backend full (HTTP 507). */
    INSUFFICIENT_STORAGE,
    /** The backend is unreachable or busy; the same call may succeed later (HTTP 503). */
    TRANSIENT,
    /** A bug or corrupted data (HTTP 500). */
    INTERNAL
  }

  private final Kind kind;

  public CairnException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CairnException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the same call may succeed if tried again later. */
  public boolean retryable() {
    return kind == Kind.TRANSIENT;
  }

  public static CairnException notFound(String message) {
    return new CairnException(Kind.NOT_FOUND, message);
  }

  public static CairnException conflict(String message) {
    return new CairnException(Kind.CONFLICT, message);
  }

  public static CairnException preconditionFailed(String message) {
    return new CairnException(Kind.PRECONDITION_FAILED, message);
  }

  public static CairnException alreadyExists(String message) {
    return new CairnException(Kind.ALREADY_EXISTS, message);
  }

  /** The kind of any throwable: a CairnException's own, INTERNAL for everything else. */
  public static Kind kindOf(Throwable t) {
    return t instanceof CairnException se ? se.kind : Kind.INTERNAL;
  }
}
