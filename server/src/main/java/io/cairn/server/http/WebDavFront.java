package io.cairn.server.http;

import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.webdav.http.DavFront;
import io.vertx.core.http.HttpServerRequest;

/** WebDAV ({@link DavFront}) as a front of the edge: everything the other fronts do not take. */
public final class WebDavFront implements Front {
  private final DavFront dav;

  public WebDavFront(DavFront dav) {
    this.dav = dav;
  }

  @Override
  public Call accept(HttpServerRequest req, Exchange exchange) {
    DavFront.Call call = dav.accept(req, exchange.remote());
    exchange.onClose(call::connectionClosed);
    exchange.counters(call::received, call::sent);
    return new Call() {
      @Override
      public boolean anonymous() {
        return call.anonymous();
      }

      @Override
      public void serve() {
        call.serve();
      }

      @Override
      public void refuse(RequestAuthenticator.Verdict verdict) {
        call.refuse(verdict.status(), verdict.headers(), verdict.phrase());
      }

      @Override
      public void abandoned() {
        call.abandoned();
      }
    };
  }
}
