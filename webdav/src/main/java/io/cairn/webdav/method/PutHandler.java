package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.cairn.files.ContentUpload;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;
import java.io.IOException;

/**
 * PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): streams the body through the chunker into the chunk store,
 * then commits one journal row. A body that does not arrive whole (the client went away, fewer
 * bytes than announced) commits nothing, so the previous version stays. Everything that can be
 * refused is refused before the body is read: a partial PUT (Content-Range, 400), a directory
 * target (405), a missing parent (409, never created on the fly), failed conditions (412), an
 * announced length over the quota or over the store's free space (507). Refused before the body
 * means before the {@code 100 Continue} too: the request body sends it when it is first read.
 *
 * <p>Finder sends its uploads chunked with the real length in {@code X-Expected-Entity-Length};
 * the whole body is read either way and checked against that length.
 */
final class PutHandler extends DavHandler {

  PutHandler(DavSite site) {
    super(site, DavMethod.PUT);
  }

  @Override
  void handle(Exchange x) throws IOException {
    if (x.header("Content-Range") != null) {
      throw DavException.badRequest("partial PUT with Content-Range is not supported");
    }
    FilePath target = x.target();
    Entry current = target.isRoot() ? null : site.files().entry(x.caller(), target);
    if (target.isRoot() || current != null && current.isDirectory()) {
      // A 405 names what is allowed (RFC 9110 §15.5.6).
      x.response.setNonStandardHeader("Allow", DavMethod.allow(DavMethod.Target.FOLDER));
      throw new DavException(405, "cannot PUT to a collection");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    if (current == null) {
      Entry parent = site.files().entry(x.caller(), target.parent());
      if (parent == null || !parent.isDirectory()) {
        throw new DavException(409, "the parent collection does not exist");
      }
    }
    long expected = expectedLength(x);
    // Every refusal before the body is read: access, the quota, the store's free space (403, 507).
    // The announced length is counted whole against the free space: the new content is stored
    // before the old one's chunks can go.
    site.files().checkRoom(x.caller(), target, current == null ? 0 : current.size(), Math.max(expected, 0));
    ContentUpload.Result content = site.files().upload(x.request.getInputStream(), expected);
    JournalRow row = site.files().put(x.caller(), target, content, pre.expect());
    x.response.setNonStandardHeader("ETag", ContentHash.etag(row.contentHash()));
    x.response.setContentLengthHeader(0L);
    x.status(current == null ? 201 : 204);
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
