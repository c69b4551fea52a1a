package io.cairn.webdav.lock;

import io.cairn.core.CairnException;
import io.cairn.webdav.StatusTable;
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
   * answer: the webdav module's one table ({@link StatusTable}), as for every other method.
   */
  static Response.Status statusOf(CairnException e) {
    Response.Status status = Response.Status.fromCode(StatusTable.status(e.kind(), "LOCK"));
    return status == null ? Response.Status.SC_INTERNAL_SERVER_ERROR : status;
  }
}
