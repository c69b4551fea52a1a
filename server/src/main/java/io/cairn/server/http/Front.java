package io.cairn.server.http;

import io.cairn.server.auth.RequestAuthenticator;
import io.vertx.core.http.HttpServerRequest;

/**
 * A front door behind the {@link EdgeRouter}: WebDAV, the admin API, the sync API. The edge calls
 * {@link #accept} on the request's event loop; the front pauses the body and attaches what it
 * needs there, and answers with the {@link Call} the edge then authenticates and runs on a
 * virtual thread. A front never authenticates, picks a thread, logs or meters a request itself.
 */
@FunctionalInterface
public interface Front {
  /** Takes a request; on its event loop, without blocking. */
  Call accept(HttpServerRequest req, Exchange exchange);

  /** One request a front accepted: served, refused or abandoned exactly once. */
  interface Call {
    /** Whether this request is served without authenticating (WebDAV's OPTIONS). */
    default boolean anonymous() {
      return false;
    }

    /**
     * Answers the request; on a virtual thread, as {@link io.cairn.files.Caller#current()} (null
     * when {@link #anonymous}). Whatever it throws is answered as an internal error by the edge.
     */
    void serve() throws Exception;

    /** Answers a request the authenticator refused; on a virtual thread. */
    void refuse(RequestAuthenticator.Verdict verdict);

    /** Nothing will serve the request (the server is stopping); the edge answers 503. */
    default void abandoned() {}
  }
}
