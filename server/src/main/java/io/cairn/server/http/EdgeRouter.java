package io.cairn.server.http;

import io.cairn.webdav.http.AccessLine;
import io.cairn.webdav.http.ClientAddress;
import io.cairn.webdav.http.RequestMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one routing point of the HTTP server: each request goes, by the prefix of its raw path, to
 * a {@link Front} (the admin API under {@code /.cairn/admin/}, the coming sync API under {@code
 * /.cairn/api/v1/}, ...), and every other request to WebDAV. A new front is one line:
 *
 * <pre>
 * EdgeRouter.to(webdav, registry, clients, accessLog)
 *     .front("admin", AdminApi.PREFIX, admin)
 *     .front("api", "/.cairn/api/v1/", api);
 * </pre>
 *
 * <p>For each front request the edge resolves the client once ({@link ClientAddress}), and when
 * the response ends (or the connection closes first) writes the same access line as WebDAV
 * ({@link AccessLine}) and the same request metrics ({@link RequestMeters}, tagged {@code
 * front=<name>}). WebDAV records its own requests, with the user milton's authentication found.
 */
public final class EdgeRouter implements Handler<HttpServerRequest> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.cairn.access");

  private record Route(String prefix, Front front, RequestMeters meters) {
    boolean matches(String path) {
      return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
  }

  private final Handler<HttpServerRequest> webdav;
  private final MeterRegistry registry;
  private final ClientAddress clients;
  private final Consumer<String> accessLog;
  private final List<Route> routes = new ArrayList<>();

  private EdgeRouter(
      Handler<HttpServerRequest> webdav, MeterRegistry registry, ClientAddress clients, Consumer<String> accessLog) {
    this.webdav = webdav;
    this.registry = registry;
    this.clients = clients;
    this.accessLog = accessLog;
  }

  /**
   * An edge that sends every request to {@code webdav} until fronts are added.
   *
   * @param accessLog where the fronts' access lines go (as WebDAV's), when {@code io.cairn.access}
   *     is on
   */
  public static EdgeRouter to(
      Handler<HttpServerRequest> webdav, MeterRegistry registry, ClientAddress clients, Consumer<String> accessLog) {
    return new EdgeRouter(webdav, registry, clients, accessLog);
  }

  /**
   * Sends the requests whose raw path starts with {@code prefix} (ending in '/'; the path without
   * that slash too) to {@code front}, its metrics tagged {@code front=name}. Call before serving.
   */
  public EdgeRouter front(String name, String prefix, Front front) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a front's prefix starts and ends with '/': " + prefix);
    }
    routes.add(new Route(prefix, front, new RequestMeters(registry, name)));
    return this;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (path != null) {
      for (Route r : routes) {
        if (r.matches(path)) {
          serve(r, req);
          return;
        }
      }
    }
    webdav.handle(req);
  }

  private void serve(Route route, HttpServerRequest req) {
    long start = System.nanoTime();
    String label = RequestMeters.method(req.method().name());
    Exchange exchange = new Exchange(remote(req));
    route.meters().started(label);
    AtomicBoolean recorded = new AtomicBoolean();
    HttpServerResponse response = req.response();
    Handler<Void> record = v -> {
      if (recorded.compareAndSet(false, true)) {
        long nanos = System.nanoTime() - start;
        int status = response.getStatusCode();
        long received = req.bytesRead();
        long sent = response.bytesWritten();
        route.meters().ended(label, status, received, sent, nanos);
        if (ACCESS.isInfoEnabled()) {
          accessLog.accept(AccessLine.format(label, req.path(), exchange.remote(), exchange.user(), status, received, sent, nanos));
        }
      }
    };
    response.endHandler(record);
    response.closeHandler(record);
    route.front().handle(req, exchange);
  }

  /** The client's address as WebDAV resolves it; repeated headers joined as one list. */
  private String remote(HttpServerRequest req) {
    String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    List<String> xff = req.headers().getAll("X-Forwarded-For");
    List<String> fwd = req.headers().getAll("Forwarded");
    return clients.resolve(peer, xff.isEmpty() ? null : String.join(", ", xff), fwd.isEmpty() ? null : String.join(", ", fwd));
  }
}
