package io.cairn.webdav.method;

import io.cairn.storage.Change;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;

/**
 * MKCOL (RFC 4918 §9.3): creates one directory. A request body is refused with 415 (this server
 * knows no MKCOL body format); an existing target is 405; a missing parent is 409.
 */
final class MkcolHandler extends DavHandler {

  MkcolHandler(DavSite site) {
    super(site, DavMethod.MKCOL);
  }

  @Override
  void handle(Exchange x) {
    FilePath target = x.target();
    if (x.request.hasBody()) {
      throw new DavException(415, "MKCOL with a body is not supported");
    }
    if (target.isRoot()) {
      throw new DavException(405, "the root exists");
    }
    site.files().mkdir(x.caller(), target);
    OcHeaders.send(x, target);
    x.response.setContentLengthHeader(0L);
    x.status(201);
  }
}
