package io.cairn.webdav.method;

import io.cairn.webdav.DavSite;
import io.milton.http.Handler;
import io.milton.http.HttpExtension;
import io.milton.http.http11.CustomPostHandler;
import java.util.List;
import java.util.Set;

/** Cairn's class 1 handlers as one milton extension. */
public final class DavExtension implements HttpExtension {
  private final Set<Handler> handlers;

  public DavExtension(DavSite site) {
    this.handlers =
        Set.of(
            new OptionsHandler(site),
            new GetHandler(site),
            new PutHandler(site),
            new MkcolHandler(site),
            new DeleteHandler(site),
            new CopyMoveHandler(site),
            new PropfindHandler(site),
            new ProppatchHandler(site),
            new ReportHandler(site));
  }

  @Override
  public Set<Handler> getHandlers() {
    return handlers;
  }

  @Override
  public List<CustomPostHandler> getCustomPostHandlers() {
    return List.of();
  }
}
