package io.cairn.webdav.method;

import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;

/**
 * A namespace's root stays where it is: a user's home ({@code /}) and a shared namespace where it
 * shows as a folder of a home ({@code /team/}, which is not a folder of that home but the other
 * namespace's root). DELETE, MOVE or COPY of a root, and a MOVE or COPY whose Destination is a
 * root, are 403 Forbidden with a short reason (RFC 4918 §9.6, §9.8.5, §9.9.4: the operation is
 * forbidden, not merely in conflict). A COPY of a root could only land inside itself.
 *
 * <p>Runs before the lock checks: whatever locks exist, the answer is 403, never a 423 that sends
 * the client looking for a lock token that could not help.
 */
public final class RootProtectionFilter implements Filter {
  private final DavSite site;

  public RootProtectionFilter(DavSite site) {
    this.site = site;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    Request.Method method = request.getMethod();
    if (method == Request.Method.DELETE) {
      if (target(request).isRoot()) {
        throw DavException.forbidden("the root cannot be deleted");
      }
    } else if (method == Request.Method.MOVE || method == Request.Method.COPY) {
      if (target(request).isRoot()) {
        throw DavException.forbidden("the root cannot be " + (method == Request.Method.MOVE ? "moved" : "copied"));
      }
      FilePath dest = destination(request);
      if (dest != null && dest.isRoot()) {
        throw DavException.forbidden("the root cannot be replaced");
      }
    }
    chain.process(request, response);
  }

  private FilePath target(Request request) {
    return site.mount().resolve(((VertxMiltonRequest) request).rawPath());
  }

  /** The Destination as a namespace path; null when absent or on another server (the handler answers). */
  private FilePath destination(Request request) {
    String d = request.getDestinationHeader();
    if (d == null || d.isBlank()) {
      return null;
    }
    String rawPath = LocalUrls.rawPath(d, request.getHostHeader());
    return rawPath == null ? null : site.mount().resolve(rawPath);
  }
}
