package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.webdav.ContentTypes;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;
import io.cairn.webdav.props.LiveProperties;
import java.io.IOException;

/**
 * GET and HEAD (RFC 9110 §9.3.1-2): a file's content streamed from its chunks, with a strong ETag
 * and Last-Modified, the conditional headers of §13, and one byte range (§14; a request for
 * several ranges gets the whole content, as §14.2 allows). A directory gets a small HTML listing.
 */
final class GetHandler extends DavHandler {

  GetHandler(DavSite site) {
    super(site, DavMethod.GET, DavMethod.HEAD);
  }

  @Override
  void handle(Exchange x) throws IOException {
    Entry e = site.files().entry(x.caller(), x.target());
    if (e == null) {
      throw new DavException(404, "not found");
    }
    boolean head = x.request.getMethod().code.equals("HEAD");
    if (e.isDirectory()) {
      DirectoryListing.send(x, e, head);
      return;
    }
    sendFile(x, e, head);
  }

  /**
   * Answers a GET or HEAD of the file {@code e}: validators, conditions, one range, the content.
   * Also serves the files of the read-only views ({@link ViewsFilter}).
   */
  static void sendFile(Exchange x, Entry e, boolean head) throws IOException {
    String etag = ContentHash.etag(e.contentHash());
    x.response.setNonStandardHeader("ETag", etag);
    x.response.setNonStandardHeader("Last-Modified", LiveProperties.httpDate(e.mtime()));
    x.response.setNonStandardHeader("Accept-Ranges", "bytes");
    Preconditions.Result pre = Preconditions.evaluate(x::header, e, true);
    switch (pre.outcome()) {
      case NOT_MODIFIED -> {
        // Vert.x would add "Content-Length: 0"; RFC 9110 §8.6 allows only the 200's length.
        x.response.setContentLengthHeader(e.size());
        x.status(304);
        return;
      }
      case FAILED -> throw new DavException(412, "precondition failed");
      case PROCEED -> {}
    }
    x.response.setNonStandardHeader("Content-Type", ContentTypes.guess(e.name()));
    long size = e.size();
    long[] range = range(x.header("Range"), size);
    if (range != null && !Preconditions.ifRangeHolds(x.header("If-Range"), e)) {
      range = null;
    }
    long offset = 0;
    long length = size;
    if (range == UNSATISFIABLE) {
      x.response.setNonStandardHeader("Content-Range", "bytes */" + size);
      x.response.send(416, "text/plain; charset=utf-8", "Range Not Satisfiable\n");
      return;
    } else if (range != null) {
      offset = range[0];
      length = range[1] - range[0] + 1;
      x.status(206);
      x.response.setNonStandardHeader(
          "Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    } else {
      x.status(200);
    }
    x.response.setContentLengthHeader(length);
    if (!head) {
      x.site.files().download(e, offset, length, x.response.getOutputStream());
    }
  }

  private static final long[] UNSATISFIABLE = new long[0];

  /**
   * The one range {@code header} asks for as {first, last} inclusive; null to send everything
   * (no header, a syntax this server ignores, several ranges); {@link #UNSATISFIABLE}.
   */
  static long[] range(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) {
        if (last.isEmpty()) {
          return null;
        }
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          return UNSATISFIABLE;
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (from < 0 || to < from) {
        return null;
      }
      if (from >= size) {
        return UNSATISFIABLE;
      }
      return new long[] {from, Math.min(to, size - 1)};
    } catch (NumberFormatException ex) {
      return null;
    }
  }
}
