package io.cairn.webdav;

import io.cairn.core.CairnException;

/**
 * The one place where a storage failure becomes an HTTP status (house style §4): every handler
 * lets {@link CairnException}s fly and {@link io.cairn.webdav.method.ErrorFilter} asks this
 * table.
 */
public final class StatusTable {
  private StatusTable() {}

  /**
   * The status for a storage failure of {@code kind} while processing {@code method}.
   *
   * <ul>
   *   <li>NOT_FOUND 404
   *   <li>ALREADY_EXISTS 405 for MKCOL (RFC 4918 §9.3.1), 409 otherwise
   *   <li>CONFLICT 409 (a missing parent, a file where a directory is needed)
   *   <li>LOCKED 423 (RFC 4918 §11.3)
   *   <li>PRECONDITION_FAILED 412
   *   <li>INSUFFICIENT_STORAGE 507 (RFC 4918 §11.5)
   *   <li>TRANSIENT 503
   *   <li>INTERNAL 500
   * </ul>
   */
  public static int status(CairnException.Kind kind, String method) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS -> "MKCOL".equals(method) ? 405 : 409;
      case CONFLICT -> 409;
      case LOCKED -> 423;
      case PRECONDITION_FAILED -> 412;
      case INSUFFICIENT_STORAGE -> 507;
      case TRANSIENT -> 503;
      case INTERNAL -> 500;
    };
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
