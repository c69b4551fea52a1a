package io.cairn.webdav.method;

import io.cairn.webdav.DavSite;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.resource.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Base of Cairn's handlers: adapts milton's {@link Handler} to {@link #handle(Exchange)}, which
 * works on the Vert.x adapters directly.
 */
abstract class DavHandler implements Handler {
  protected final DavSite site;
  private final String[] methods;

  DavHandler(DavSite site, DavMethod... methods) {
    this.site = site;
    this.methods = java.util.Arrays.stream(methods).map(DavMethod::name).toArray(String[]::new);
  }

  @Override
  public final String[] getMethods() {
    return methods.clone();
  }

  /** Cairn's handlers decide by entry kind themselves. */
  @Override
  public final boolean isCompatible(Resource resource) {
    return true;
  }

  @Override
  public final void process(HttpManager manager, Request request, Response response) {
    try {
      handle(new Exchange((VertxMiltonRequest) request, (VertxMiltonResponse) response, site));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Processes the request; throws DavException and CairnException for failures. */
  abstract void handle(Exchange x) throws IOException;
}
