package io.cairn.webdav;

/**
 * A request the protocol layer refuses, with the status to answer and a short reason for the
 * client. Thrown from request processing on the virtual thread and turned into a response in one
 * place ({@link io.cairn.webdav.method.ErrorFilter}); never logged as an error.
 *
 * <p>{@code precondition} names an RFC 4918 §16 precondition or postcondition element (such as
 * {@code propfind-finite-depth}); when set, the body is a {@code DAV:error} document holding it
 * instead of the plain reason.
 */
public final class DavException extends RuntimeException {
  private final int status;
  private final String precondition;
  private final String preconditionContent;

  public DavException(int status, String reason) {
    this(status, reason, null, null);
  }

  public DavException(int status, String reason, String precondition) {
    this(status, reason, precondition, null);
  }

  /**
   * @param preconditionContent XML content of the precondition element, with DAV: elements
   *     prefixed {@code D} (the hrefs of {@code lock-token-submitted}, say); may be null
   */
  public DavException(int status, String reason, String precondition, String preconditionContent) {
    super(reason, null, false, false);
    this.status = status;
    this.precondition = precondition;
    this.preconditionContent = preconditionContent;
  }

  /** The HTTP status to answer. */
  public int status() {
    return status;
  }

  /** The DAV: precondition element's local name, or null. */
  public String precondition() {
    return precondition;
  }

  /** The precondition element's XML content, or null for an empty element. */
  public String preconditionContent() {
    return preconditionContent;
  }

  public static DavException badRequest(String reason) {
    return new DavException(400, reason);
  }

  public static DavException forbidden(String reason) {
    return new DavException(403, reason);
  }
}
