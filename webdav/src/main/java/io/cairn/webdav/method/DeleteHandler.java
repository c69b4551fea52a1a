package io.cairn.webdav.method;

import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;

/**
 * DELETE (RFC 4918 §9.6): removes a file or a whole subtree in one journal commit, so there are no
 * partial failures to report in a multistatus. A collection accepts only Depth: infinity (400
 * otherwise). The root never reaches this handler ({@link RootProtectionFilter}, 403).
 */
final class DeleteHandler extends DavHandler {

  DeleteHandler(DavSite site) {
    super(site, DavMethod.DELETE);
  }

  @Override
  void handle(Exchange x) {
    FilePath target = x.target();
    Entry current = site.files().entry(x.caller(), target);
    if (current == null) {
      throw new DavException(404, "not found");
    }
    if (current.isDirectory() && x.depth() != Exchange.INFINITY) {
      throw DavException.badRequest("DELETE of a collection needs Depth: infinity");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    site.files().delete(x.caller(), target, pre.expect());
    x.status(204);
  }
}
