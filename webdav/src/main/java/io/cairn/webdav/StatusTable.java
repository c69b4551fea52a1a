package io.cairn.webdav;

import io.cairn.core.CairnException;

/**
 * The one place where WebDAV turns a failure into an HTTP status (house style §4): every handler
 * lets {@link CairnException}s fly and {@link io.cairn.webdav.method.ErrorFilter} asks this table.
 * The status of each kind is data on the kind ({@link CairnException.Kind#httpStatus()}), the same
 * for every front door; this table adds only what is WebDAV's own, and the reason phrases.
 */
public final class StatusTable {
  private StatusTable() {}

  /**
   * The Retry-After every 503 carries, in seconds, on every front (as the edge's own 503s do):
   * TRANSIENT means a backend was unreachable or a commit met garbage collection, and a retry
   * a few seconds later is what helps.
   */
  public static final String RETRY_AFTER_SECONDS = "5";

  /**
   * The status for a failure of {@code kind} while processing {@code method}: the kind's own
   * {@link CairnException.Kind#httpStatus()} (NOT_FOUND 404, ALREADY_EXISTS and CONFLICT 409,
   * LOCKED 423, PRECONDITION_FAILED 412, INSUFFICIENT_STORAGE 507, TOO_LARGE 413, FORBIDDEN 403,
   * GONE 410, INVALID 400, TRANSIENT 503, INTERNAL and DAMAGED 500), except ALREADY_EXISTS for MKCOL, which is 405 (RFC 4918 §9.3.1).
   */
  public static int status(CairnException.Kind kind, String method) {
    if (kind == CairnException.Kind.ALREADY_EXISTS && "MKCOL".equals(method)) {
      return 405;
    }
    return kind.httpStatus();
  }

  /** The reason phrase of a status this server answers with. */
  public static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 207 -> "Multi-Status";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Range Not Satisfiable";
      case 423 -> "Locked";
      case 424 -> "Failed Dependency";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 507 -> "Insufficient Storage";
      default -> "Status " + status;
    };
  }
}
