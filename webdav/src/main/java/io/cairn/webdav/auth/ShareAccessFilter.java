package io.cairn.webdav.auth;

import io.cairn.webdav.DavException;
import io.cairn.webdav.DavPath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.util.Set;

/**
 * Read-only grants: refuses with 403 every method that changes a namespace the user may only
 * read, judged on the request URI and, for COPY and MOVE, on the Destination. UNLOCK counts as a
 * change: lockdiscovery shows lock tokens to every reader, and a reader must not end a writer's
 * lock. Runs before the method's handler and before the lock checks, on the same {@link
 * io.cairn.webdav.DavMount} mapping they use.
 */
public final class ShareAccessFilter implements Filter {
  private static final Set<String> WRITES = Set.of("PUT", "DELETE", "MKCOL", "PROPPATCH", "MOVE", "LOCK", "UNLOCK");

  private final DavSite site;

  public ShareAccessFilter(DavSite site) {
    this.site = site;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    DavUser user = DavUser.current();
    if (user != null && !user.shares().isEmpty() && request.getMethod() != null) {
      String method = request.getMethod().code;
      String rawPath = ((VertxMiltonRequest) request).rawPath();
      if (WRITES.contains(method)) {
        requireWritable(user, site.mount().resolve(rawPath));
      }
      if (method.equals("COPY") || method.equals("MOVE")) {
        String destination = request.getDestinationHeader();
        if (destination != null && !destination.isBlank()) {
          String destPath = LocalUrls.rawPath(destination, request.getHostHeader());
          if (destPath != null) {
            requireWritable(user, site.mount().resolve(destPath));
          }
        }
      }
    }
    chain.process(request, response);
  }

  private static void requireWritable(DavUser user, DavPath p) {
    if (!user.canWrite(p.ns())) {
      throw DavException.forbidden("this shared folder is read-only for you");
    }
  }
}
