package io.cairn.webdav.lock;

import io.cairn.storage.StorageException;
import io.milton.http.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes the lock support's own responses: a status and, when given, an XML body. */
final class LockResponses {
  private LockResponses() {}

  static void send(Response response, Response.Status status, String xml) {
    response.setStatus(status);
    if (xml == null) {
      response.setContentLengthHeader(0L);
      return;
    }
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    response.setContentTypeHeader("application/xml; charset=utf-8");
    response.setContentLengthHeader((long) body.length);
    try {
      OutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The status for a failure of the lock manager or the resource layer that has no more specific
   * answer. The same table as the resource layer's (style rule 4), restricted to what LOCK, UNLOCK
   * and the lock checks can meet.
   */
  static Response.Status statusOf(StorageException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> Response.Status.SC_NOT_FOUND;
      case ALREADY_EXISTS, CONFLICT -> Response.Status.SC_CONFLICT;
      case LOCKED -> Response.Status.SC_LOCKED;
      case PRECONDITION_FAILED -> Response.Status.SC_PRECONDITION_FAILED;
      case INSUFFICIENT_STORAGE -> Response.Status.SC_INSUFFICIENT_STORAGE;
      case TRANSIENT -> Response.Status.SC_SERVICE_UNAVAILABLE;
      case INTERNAL -> Response.Status.SC_INTERNAL_SERVER_ERROR;
    };
  }
}
