package io.cairn.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * What the edge knows of one request while a {@link Front} answers it: the client's address
 * (resolved once, through the trusted proxies), the authenticated user once the edge has one, and
 * what to do when the client goes away. Thread-safe.
 */
public final class Exchange {
  private final String remote;
  private volatile String user;
  private volatile String credentials;
  private volatile String loggedPath;
  private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
  private volatile LongSupplier sent;
  private volatile LongSupplier received;

  Exchange(String remote) {
    this.remote = remote;
  }

  /** The client's address: the peer, or the client a trusted proxy names. */
  public String remote() {
    return remote;
  }

  void user(String name) {
    this.user = name;
  }

  /** The authenticated user; null while anonymous or refused. */
  public String user() {
    return user;
  }

  void credentials(String authorization) {
    this.credentials = authorization;
  }

  /**
   * The credentials the edge authenticated the request with, as an {@code Authorization} header
   * value (a browser's session cookie as {@code Bearer <token>}); null while anonymous. For checking
   * them again while a long request runs.
   */
  public String credentials() {
    return credentials;
  }

  /**
   * Writes {@code path} in the access line instead of the request's own, for a path that holds a
   * secret (a share link's token). Set by the front when it accepts the request.
   */
  public void logAs(String path) {
    this.loggedPath = path;
  }

  /** The path the access line shows: the request's own unless {@link #logAs} said otherwise. */
  String loggedPath(HttpServerRequest request) {
    String p = loggedPath;
    return p != null ? p : request.path();
  }

  /** Runs {@code action} if the connection closes before the response has ended. */
  public void onClose(Runnable action) {
    onClose.add(action);
  }

  /**
   * Counts the body bytes for the access line and the metrics where the front writes or reads
   * around Vert.x's own counters (WebDAV's file regions straight to the connection).
   */
  public void counters(LongSupplier received, LongSupplier sent) {
    this.received = received;
    this.sent = sent;
  }

  long sent(HttpServerResponse response) {
    LongSupplier s = sent;
    return s == null ? response.bytesWritten() : s.getAsLong();
  }

  long received(HttpServerRequest request) {
    LongSupplier r = received;
    return r == null ? request.bytesRead() : r.getAsLong();
  }

  void closed() {
    for (Runnable r : onClose) {
      r.run();
    }
  }
}
