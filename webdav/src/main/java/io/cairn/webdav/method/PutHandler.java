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
    Entry current = target.isRoot() ? null : site.store().entry(target);
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
      Entry parent = site.store().entry(target.parent());
      if (parent == null || !parent.isDirectory()) {
        throw new DavException(409, "the parent collection does not exist");
      }
    }
    long expected = expectedLength(x);
    long replaced = current == null ? 0 : current.size();
    if (expected >= 0) {
      checkRoom(target, replaced, expected);
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

  /** The announced length against the quota and against the store's free space (507). */
  private void checkRoom(FilePath target, long replaced, long expected) {
    if (site.quota().limitFor(target.ns()) >= 0) {
      checkQuota(target, replaced, expected);
    }
    // Counted whole: the new content is stored before the old one's chunks can go, and how much of
    // it the store already holds is not known before it is read.
    if (expected > 0 && !site.quota().storeHolds(expected)) {
      throw new DavException(507, "not enough free space for " + expected + " bytes");
    }
  }

  private void checkQuota(FilePath target, long replaced, long size) {
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
