package io.cairn.server.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * A front door behind the {@link EdgeRouter} (the admin API, the coming sync API and web
 * interface): answers the requests under its prefix. Called on the request's event loop; the
 * front names its caller on the {@link Exchange} once authenticated, and the edge writes the
 * access line and the request metrics when the response ends.
 */
@FunctionalInterface
public interface Front {
  void handle(HttpServerRequest req, Exchange exchange);
}
