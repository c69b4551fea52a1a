package io.cairn.webdav.auth;

import io.cairn.files.Caller;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.method.DavMethod;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;

/**
 * Read-only grants, early: refuses with 403 every method that changes a namespace the user may
 * only read, judged on the request URI for the methods that {@link DavMethod#changesTarget()
 * change it} and on the Destination for those that {@link DavMethod#writesDestination() write
 * one}, before the method's handler and the lock checks. The rule is the files layer's ({@link
 * io.cairn.files.FileService#checkWritable}), which every commit applies again; only LOCK and
 * UNLOCK, which the files layer does not see, rely on this filter alone.
 */
public final class ShareAccessFilter implements Filter {
  private final DavSite site;

  public ShareAccessFilter(DavSite site) {
    this.site = site;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    Caller user = Caller.current();
    DavMethod method = request.getMethod() == null ? null : DavMethod.named(request.getMethod().code);
    if (user != null && !user.shares().isEmpty() && method != null) {
      String rawPath = ((VertxMiltonRequest) request).rawPath();
      if (method.changesTarget()) {
        site.files().checkWritable(user, site.mount().resolve(rawPath));
      }
      if (method.writesDestination()) {
        String destination = request.getDestinationHeader();
        if (destination != null && !destination.isBlank()) {
          String destPath = LocalUrls.rawPath(destination, request.getHostHeader());
          if (destPath != null) {
            site.files().checkWritable(user, site.mount().resolve(destPath));
          }
        }
      }
    }
    chain.process(request, response);
  }
}
