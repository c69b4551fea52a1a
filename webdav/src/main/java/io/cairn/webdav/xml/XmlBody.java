package io.cairn.webdav.xml;

import io.cairn.webdav.DavException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the XML body of a PROPFIND, PROPPATCH or LOCK whole, up to a limit. Over the limit is 413
 * Content Too Large (RFC 9110 §15.5.14) for every method alike: refused from the Content-Length
 * before a byte is read when it is announced, else as soon as the count passes the limit.
 */
public final class XmlBody {
  private XmlBody() {}

  /**
   * The whole body.
   *
   * @param body the request body; null reads as empty
   * @param contentLength the Content-Length header, null when absent (a chunked body)
   * @param limit the most bytes accepted
   * @throws DavException 413 over the limit, 400 for a Content-Length that is not a number
   * @throws IOException when the body cannot be read (the client went away)
   */
  public static byte[] read(InputStream body, String contentLength, int limit) throws IOException {
    if (contentLength != null) {
      try {
        if (Long.parseLong(contentLength.trim()) > limit) {
          throw tooLarge(limit);
        }
      } catch (NumberFormatException e) {
        throw DavException.badRequest("invalid Content-Length");
      }
    }
    if (body == null) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = body.read(buf)) >= 0) {
      out.write(buf, 0, n);
      if (out.size() > limit) {
        throw tooLarge(limit);
      }
    }
    return out.toByteArray();
  }

  private static DavException tooLarge(int limit) {
    return new DavException(413, "request body larger than " + limit + " bytes");
  }
}
