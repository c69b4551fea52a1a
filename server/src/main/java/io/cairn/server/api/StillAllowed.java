package io.cairn.server.api;

import io.cairn.files.Caller;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.JsonRoutes;
import java.time.Duration;

/**
 * Who a long-lived request (an event stream, a long poll) is for, checked again while it runs: its
 * credentials go through the authenticator every {@link #EVERY}, as a new request's would, so a
 * revoked token, a changed password or a removed grant ends the request within that time instead
 * of at its end.
 */
final class StillAllowed {
  static final Duration EVERY = Duration.ofSeconds(10);

  private final RequestAuthenticator authenticator;
  private final String authorization;
  private final String remote;
  private Caller caller;
  private long checkedAt = System.nanoTime();

  StillAllowed(RequestAuthenticator authenticator, JsonRoutes.Call call) {
    this.authenticator = authenticator;
    this.authorization = call.credentials();
    this.remote = call.remote();
    this.caller = Caller.current();
  }

  /** The caller as they are now; null when they are no longer allowed in. */
  Caller caller() {
    if (authenticator != null && caller != null && System.nanoTime() - checkedAt > EVERY.toNanos()) {
      checkedAt = System.nanoTime();
      RequestAuthenticator.Verdict v = authenticator.authenticate(authorization, remote);
      caller = v.allowed() && v.user().name().equals(caller.name()) ? v.user() : null;
    }
    return caller;
  }
}
