package io.cairn.webdav.method;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.PathCodec;
import io.cairn.webdav.UrlBase;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.cairn.webdav.props.PropertyContext;
import io.cairn.webdav.views.CairnViews;
import io.cairn.webdav.views.ViewNode;
import io.cairn.webdav.xml.PropfindRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Serves the read-only views under {@code /.cairn/} ({@link CairnViews}): GET and HEAD (a version
 * or a deleted file's bytes, with its ETag, Last-Modified, conditions and one range, as {@link
 * GetHandler} sends any file; a small HTML page for a folder), PROPFIND at Depth 0 or 1 (the live
 * properties of RFC 4918 §15; no dead ones) and OPTIONS. Every method that changes what its
 * Request-URI names or writes a Destination ({@link DavMethod#changesTarget}, {@link
 * DavMethod#writesDestination}: PUT, DELETE, MKCOL, MOVE, COPY, PROPPATCH, LOCK, UNLOCK) is 403
 * Forbidden when its Request-URI or Destination lies in the views, before anything is read or
 * locked: nothing there changes, and nothing is copied in or out (a restore is the sync API's).
 *
 * <p>Runs right after {@link ErrorFilter}, so share access, root protection and the lock filter
 * never see a view path; a view path never reaches the method handlers, so a folder named {@code
 * .cairn} in a home is not reachable over WebDAV. Refusals are thrown for {@link ErrorFilter}.
 */
public final class ViewsFilter implements Filter {
  static final String READ_ONLY = "/.cairn/ is read-only: its versions and trash change only with the files they show";

  private final DavSite site;
  private final CairnViews views;

  public ViewsFilter(DavSite site) {
    this.site = site;
    this.views = new CairnViews(site.files());
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    VertxMiltonRequest req = (VertxMiltonRequest) request;
    DavMethod method = request.getMethod() == null ? null : DavMethod.named(request.getMethod().code);
    String view = viewPath(req.rawPath());
    if (method != null && method.writesDestination()
        && (view != null || viewPath(destination(request)) != null)) {
      throw DavException.forbidden(READ_ONLY);
    }
    if (view == null || method == null) {
      chain.process(request, response);
      return;
    }
    Exchange x = new Exchange(req, (VertxMiltonResponse) response, site);
    try {
      switch (method) {
        case GET, HEAD -> get(x, view, method == DavMethod.HEAD);
        case PROPFIND -> propfind(x, view);
        case OPTIONS -> options(x);
        default -> throw DavException.forbidden(READ_ONLY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The decoded view path of a raw path in the views; null for any other (or a malformed) one. */
  private static String viewPath(String rawPath) {
    if (rawPath == null) {
      return null;
    }
    try {
      String path = PathCodec.decode(rawPath);
      return CairnViews.contains(path) ? path : null;
    } catch (DavException e) {
      return null; // the handler refuses it as it would anywhere
    }
  }

  private static String destination(Request request) {
    String d = request.getDestinationHeader();
    return d == null || d.isBlank() ? null : LocalUrls.rawPath(d, request.getHostHeader());
  }

  private ViewNode resolve(Exchange x, String view) {
    ViewNode node = views.resolve(x.caller(), view);
    if (node == null) {
      throw new DavException(404, "not found");
    }
    return node;
  }

  private void get(Exchange x, String view, boolean head) throws IOException {
    ViewNode node = resolve(x, view);
    if (node.isFolder()) {
      DirectoryListing.send(x, node, views.members(x.caller(), node), head);
    } else {
      GetHandler.sendFile(x, node.entry(), head);
    }
  }

  /** As {@link PropfindHandler}: 404 before the depth is judged; Depth: infinity is 403. */
  private void propfind(Exchange x, String view) throws IOException {
    int depth = x.depth();
    PropfindRequest body = PropfindRequest.parse(x.readSmallBody());
    ViewNode node = resolve(x, view);
    if (depth == Exchange.INFINITY) {
      throw new DavException(403, "Depth: infinity is not supported", "propfind-finite-depth");
    }
    // Members are read before the 207 starts, so a failure is still a clean error response.
    List<ViewNode> members = depth == 1 ? views.members(x.caller(), node) : List.of();
    try (Multistatus out = new Multistatus(x)) {
      write(x, out, body, node);
      for (ViewNode member : members) {
        write(x, out, body, member);
      }
    }
  }

  private void write(Exchange x, Multistatus out, PropfindRequest body, ViewNode node) throws IOException {
    new PropertyWriter(site, x.caller(), body).write(out, context(site, x.caller(), node), Map::of);
  }

  /** Writes {@code /.cairn/} itself as a member of the home's root, for PROPFIND of {@code /}. */
  static void writeRoot(DavSite site, Caller caller, Multistatus out, PropfindRequest body) throws IOException {
    ViewNode root = new CairnViews(site.files()).root();
    new PropertyWriter(site, caller, body).write(out, context(site, caller, root), Map::of);
  }

  /** The same methods everywhere in the views, so OPTIONS needs no caller and reveals nothing. */
  private static void options(Exchange x) {
    x.response.setNonStandardHeader("Allow", "OPTIONS, GET, HEAD, PROPFIND");
    x.response.setNonStandardHeader("Accept-Ranges", "bytes");
    x.response.setContentLengthHeader(0L);
    x.status(200);
  }

  /**
   * The live properties' view of a node. Its namespace path is the views' folder in the home for
   * every node (no lock can exist there: LOCK is refused), and the quotas are the home's.
   */
  private static PropertyContext context(DavSite site, Caller caller, ViewNode node) {
    return new HomeContext(site, caller, new FilePath(caller.home(), CairnViews.ROOT), node.entry(),
        UrlBase.currentHref(PathCodec.encode(node.path(), node.isFolder())));
  }
}
