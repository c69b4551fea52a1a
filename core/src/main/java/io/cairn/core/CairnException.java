package io.cairn.core;

/**
 * The one failure type of Cairn below the fronts (storage, cluster, the files layer) and of a
 * client reading an error back. The {@link Kind} says what went wrong in terms every front door
 * maps to the same HTTP status ({@link Kind#httpStatus()}); whether a retry can help is data on the
 * kind ({@link Kind#retryable()}), not a guess made by the caller.
 */
public final class CairnException extends RuntimeException {

  /** What went wrong, independent of the backend, with the HTTP status every front answers. */
  public enum Kind {
    /** The path, namespace, user or chunk does not exist: HTTP 404. */
    NOT_FOUND(404),
    /**
     * The thing to create exists already: HTTP 409 (WebDAV answers 405 for MKCOL, RFC 4918 §9.3.1).
     */
    ALREADY_EXISTS(409),
    /**
     * The change does not fit the current state: a missing parent, a file where a folder is needed,
     * an unlock of a lock that is not there: HTTP 409.
     */
    CONFLICT(409),
    /** A lock held by someone else forbids the change: HTTP 423 (RFC 4918 §11.3). */
    LOCKED(423),
    /** The caller's expectation (expected version, If-Match, Overwrite: F) does not hold: HTTP 412. */
    PRECONDITION_FAILED(412),
    /**
     * No room: quota, backend or a folder's configured capacity full: HTTP 507 (RFC 4918 §11.5).
     */
    INSUFFICIENT_STORAGE(507),
    /**
     * More than the server accepts in one request, whatever room there is: a file over the
     * configured largest upload: HTTP 413 (RFC 9110 §15.5.14). The same request will fail again.
     */
    TOO_LARGE(413),
    /**
     * It existed, and retention (or an admin's purge) has since let its content expire: a version
     * or trash item that history still lists but that can no longer be read or restored: HTTP 410.
     */
    GONE(410),
    /** The caller may not do this: a read-only share, a path outside their view: HTTP 403. */
    FORBIDDEN(403),
    /** Bad input: a malformed name, path or argument; the same call will fail again: HTTP 400. */
    INVALID(400),
    /** The backend is unreachable or busy; the same call may succeed later: HTTP 503. */
    TRANSIENT(503),
    /** A bug or corrupted data: HTTP 500. */
    INTERNAL(500),
    /**
     * The content asked for is known to be damaged: a chunk it names was found missing or not
     * hashing to its name (by {@code cairn fsck --repair} or the background scrub) and recorded so.
     * HTTP 500, but unlike INTERNAL the message, which names the damage, reaches the client, and no
     * stack trace is logged; a retry cannot help until an upload of the same content or an
     * administrator puts the chunk back. A status
     * read back gives INTERNAL.
     */
    DAMAGED(500);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status every front (WebDAV, JSON APIs, the web interface) answers for this kind. */
    public int httpStatus() {
      return httpStatus;
    }

    /** True when the same call may succeed if tried again later. */
    public boolean retryable() {
      return this == TRANSIENT;
    }

    /**
     * The kind a client should assume for an error status it got back: the kind whose {@link
     * #httpStatus()} it is; 409 reads as CONFLICT, since ALREADY_EXISTS shares it. Statuses no kind
     * answers: 429 and the gateway failures 502 and 504 are TRANSIENT (a retry may help), other 4xx
     * INVALID, other 5xx INTERNAL.
     *
     * @throws IllegalArgumentException for a status below 400 or above 599, which is no error
     */
    public static Kind ofHttpStatus(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("not an error status: " + status);
      }
      if (status == CONFLICT.httpStatus) {
        return CONFLICT;
      }
      if (status == INTERNAL.httpStatus) {
        return INTERNAL;
      }
      for (Kind k : values()) {
        if (k.httpStatus == status) {
          return k;
        }
      }
      return switch (status) {
        case 429, 502, 504 -> TRANSIENT;
        default -> status < 500 ? INVALID : INTERNAL;
      };
    }
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
    return kind.retryable();
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

  public static CairnException gone(String message) {
    return new CairnException(Kind.GONE, message);
  }

  public static CairnException forbidden(String message) {
    return new CairnException(Kind.FORBIDDEN, message);
  }

  public static CairnException invalid(String message) {
    return new CairnException(Kind.INVALID, message);
  }

  /** The kind of any throwable: a CairnException's own, INTERNAL for everything else. */
  public static Kind kindOf(Throwable t) {
    return t instanceof CairnException ce ? ce.kind : Kind.INTERNAL;
  }
}
