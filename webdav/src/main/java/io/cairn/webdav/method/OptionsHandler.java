package io.cairn.webdav.method;

import io.cairn.storage.Entry;
import io.cairn.webdav.DavSite;

/**
 * OPTIONS (RFC 9110 §9.3.7, RFC 4918 §10.1): the methods the target allows, and the DAV
 * compliance classes (every response carries {@code DAV: 1, 2}, see the response adapter).
 * {@code OPTIONS *} answers for the server as a whole.
 */
final class OptionsHandler extends DavHandler {
  static final String ALLOW_ALL =
      "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
  static final String ALLOW_FILE =
      "OPTIONS, GET, HEAD, PUT, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
  static final String ALLOW_DIRECTORY =
      "OPTIONS, GET, HEAD, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
  static final String ALLOW_ABSENT = "OPTIONS, PUT, MKCOL, LOCK";

  OptionsHandler(DavSite site) {
    super(site, "OPTIONS");
  }

  @Override
  void handle(Exchange x) {
    String allow;
    if (x.request.rawPath().equals("*") || !site.mount().canResolve()) {
      allow = ALLOW_ALL;
    } else {
      Entry e = site.files().entry(x.caller(), x.target());
      allow = e == null ? ALLOW_ABSENT : e.isDirectory() ? ALLOW_DIRECTORY : ALLOW_FILE;
    }
    x.response.setNonStandardHeader("Allow", allow);
    x.response.setNonStandardHeader("Accept-Ranges", "bytes");
    x.response.setContentLengthHeader(0L);
    x.status(200);
  }
}
