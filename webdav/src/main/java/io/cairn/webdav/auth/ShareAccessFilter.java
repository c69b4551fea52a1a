package io.cairn.webdav.auth;

import io.cairn.files.Caller;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.util.Set;

/**
 * Read-only grants for the one kind of change the files layer does not see: WebDAV locks. LOCK and
 * UNLOCK on a namespace the user may only read are refused with 403 (UNLOCK too: lockdiscovery
 * shows lock tokens to every reader, and a reader must not end a writer's lock). Every change to
 * files (PUT, DELETE, MKCOL, PROPPATCH, COPY, MOVE) is refused by {@link io.cairn.files.FileService}
 * itself, the same for every front door.
 */
public final class ShareAccessFilter implements Filter {
  private static final Set<String> LOCKING = Set.of("LOCK", "UNLOCK");

  private final DavSite site;

  public ShareAccessFilter(DavSite site) {
    this.site = site;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    Caller user = Caller.current();
    if (user != null && !user.shares().isEmpty() && request.getMethod() != null
        && LOCKING.contains(request.getMethod().code)) {
      site.files().checkWritable(user, site.mount().resolve(((VertxMiltonRequest) request).rawPath()));
    }
    chain.process(request, response);
  }
}
