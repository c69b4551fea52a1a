package io.cairn.webdav.method;

import io.cairn.storage.Entry;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.method.DavMethod.Target;

/**
 * OPTIONS (RFC 9110 §9.3.7, RFC 4918 §10.1): the methods the target allows (from {@link DavMethod}), and the DAV
 * compliance classes (every response carries {@code DAV: 1, 2}, see the response adapter).
 * {@code OPTIONS *} answers for the server as a whole.
 */
final class OptionsHandler extends DavHandler {
  OptionsHandler(DavSite site) {
    super(site, DavMethod.OPTIONS);
  }

  @Override
  void handle(Exchange x) {
    String allow;
    if (x.request.rawPath().equals("*") || !site.mount().canResolve()) {
      allow = DavMethod.allowAll();
    } else {
      Entry e = site.files().entry(x.caller(), x.target());
      allow = DavMethod.allow(e == null ? Target.ABSENT : e.isDirectory() ? Target.FOLDER : Target.FILE);
    }
    x.response.setNonStandardHeader("Allow", allow);
    x.response.setNonStandardHeader("Accept-Ranges", "bytes");
    x.response.setContentLengthHeader(0L);
    x.status(200);
  }
}
