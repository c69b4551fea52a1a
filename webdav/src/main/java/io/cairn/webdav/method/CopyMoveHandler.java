package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.files.Preconditions;

/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9), each one journal commit: a subtree moves or is copied (as
 * references to the same chunks) atomically, so no multistatus of partial failures is ever needed.
 *
 * <ul>
 *   <li>Destination: an absolute URI on this server or an absolute path; the same strict path
 *       rules as the request URI (400). A Destination on another host or port is answered 502 Bad
 *       Gateway, the status RFC 4918 §9.8.5 and §9.9.4 give for a destination "on another server,
 *       repository, or URL namespace" that this server cannot write to.
 *   <li>Overwrite: T (default) replaces an existing destination (204), F refuses it (412); a new
 *       destination is 201. Any other value is 400.
 *   <li>Depth: COPY of a collection takes 0 (the collection alone) or infinity (default); MOVE of
 *       a collection only infinity. Other values are 400.
 *   <li>Source and destination the same: 403. A root as source or destination is refused before
 *       (403, {@link RootProtectionFilter}). A destination inside the source, or without a parent
 *       collection: 409.
 * </ul>
 */
final class CopyMoveHandler extends DavHandler {

  CopyMoveHandler(DavSite site) {
    super(site, DavMethod.COPY, DavMethod.MOVE);
  }

  @Override
  void handle(Exchange x) {
    boolean move = x.request.getMethod().code.equals("MOVE");
    FilePath source = x.target();
    Entry current = site.files().entry(x.caller(), source);
    if (current == null) {
      throw new DavException(404, "not found");
    }
    FilePath dest = destination(x);
    boolean overwrite = overwrite(x.header("Overwrite"));
    int depth = x.depth();
    if (current.isDirectory()) {
      if (depth == 1 || (move && depth != Exchange.INFINITY)) {
        throw DavException.badRequest(
            (move ? "MOVE" : "COPY") + " of a collection takes Depth: infinity" + (move ? "" : " or 0"));
      }
    }
    if (move) {
      site.files().checkWritable(x.caller(), source);
    }
    site.files().checkWritable(x.caller(), dest);
    if (!dest.ns().equals(source.ns())) {
      throw new DavException(502, "the destination is in another namespace");
    }
    if (dest.path().equals(source.path())) {
      throw DavException.forbidden("source and destination are the same");
    }
    if (TreePaths.isSameOrBelow(dest.path(), source.path())) {
      throw new DavException(409, "the destination lies inside the source");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    boolean existed = site.files().entry(x.caller(), dest) != null;
    if (existed && !overwrite) {
      throw new DavException(412, "the destination exists and Overwrite is F");
    }
    if (move) {
      site.files().move(x.caller(), source, dest, overwrite, pre.expect());
    } else {
      site.files().copy(x.caller(), source, dest, overwrite, depth != 0);
    }
    OcHeaders.send(x, dest);
    x.response.setContentLengthHeader(0L);
    x.status(existed ? 204 : 201);
  }

  static boolean overwrite(String header) {
    if (header == null) {
      return true;
    }
    return switch (header.trim()) {
      case "T", "t" -> true;
      case "F", "f" -> false;
      default -> throw DavException.badRequest("Overwrite must be T or F");
    };
  }

  /** The Destination header as a namespace path; 400 when missing or malformed, 502 elsewhere. */
  private FilePath destination(Exchange x) {
    String d = x.header("Destination");
    if (d == null || d.isBlank()) {
      throw DavException.badRequest("Destination header missing");
    }
    String rawPath = LocalUrls.rawPath(d, x.header("Host"));
    if (rawPath == null) {
      throw new DavException(502, "Destination is on another server");
    }
    return site.mount().resolve(rawPath);
  }
}
