package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.cairn.webdav.ContentUpload;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavPath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.Preconditions;
import java.io.IOException;

/**
 * PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): streams the body through the chunker into the chunk store,
 * then commits one journal row. A body that does not arrive whole (the client went away, fewer
 * bytes than announced) commits nothing, so the previous version stays. Everything that can be
 * refused is refused before the body is read: a partial PUT (Content-Range, 400), a directory
 * target (405), a missing parent (409, never created on the fly), failed conditions (412), a full
 * quota (507).
 *
 * <p>Finder sends its uploads chunked with the real length in {@code X-Expected-Entity-Length};
 * the whole body is read either way and checked against that length.
 */
final class PutHandler extends DavHandler {

  PutHandler(DavSite site) {
    super(site, "PUT");
  }

  @Override
  void handle(Exchange x) throws IOException {
    if (x.header("Content-Range") != null) {
      throw DavException.badRequest("partial PUT with Content-Range is not supported");
    }
    DavPath target = x.target();
    if (target.isRoot()) {
      x.response.setNonStandardHeader("Allow", OptionsHandler.ALLOW_DIRECTORY);
      throw new DavException(405, "cannot PUT to a collection");
    }
    Entry current = site.store().entry(target);
    if (current != null && current.isDirectory()) {
      throw new DavException(405, "cannot PUT to a collection");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    if (current == null) {
      Entry parent = site.store().entry(target.parent());
      if (parent == null || !parent.isDirectory()) {
        throw new DavException(409, "the parent collection does not exist");
      }
    }
    long expected = expectedLength(x);
    long replaced = current == null ? 0 : current.size();
    if (site.quota().limitFor(target.ns()) >= 0 && expected >= 0) {
      checkQuota(target, replaced, expected);
    }
    ContentUpload.Result content = site.store().upload(x.request.getInputStream(), expected);
    if (site.quota().limitFor(target.ns()) >= 0) {
      checkQuota(target, replaced, content.size());
    }
    JournalRow row = site.store().commitContent(target, content, pre.expect(), x.author());
    x.response.setNonStandardHeader("ETag", ContentHash.etag(row.contentHash()));
    x.response.setContentLengthHeader(0L);
    x.status(current == null ? 201 : 204);
  }

  private void checkQuota(DavPath target, long replaced, long size) {
    long used = site.store().namespace(target.ns()).usedBytes();
    if (!site.quota().allows(target.ns(), used - replaced, size)) {
      throw new DavException(507, "the namespace's quota is exhausted");
    }
  }

  /** Content-Length, else X-Expected-Entity-Length (Finder), else -1. */
  private static long expectedLength(Exchange x) {
    String length = x.header("Content-Length");
    if (length == null) {
      length = x.header("X-Expected-Entity-Length");
    }
    if (length == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(length.trim());
      if (n < 0) {
        throw DavException.badRequest("negative length");
      }
      return n;
    } catch (NumberFormatException e) {
      throw DavException.badRequest("invalid length header");
    }
  }
}
