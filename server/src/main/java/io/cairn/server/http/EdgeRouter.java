package io.cairn.server.http;

import io.cairn.files.Caller;
import io.cairn.server.auth.RequestAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.AsciiString;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one edge of the HTTP server. Each request goes, by the prefix of its raw path, to a {@link
 * Front} (the admin API under {@code /.cairn/admin/}, the sync API under {@code /.cairn/api/v1/},
 * ...), every other request to WebDAV; then, the same way for every front:
 *
 * <ol>
 *   <li>the client's address is resolved once ({@link ClientAddress}) and the front {@linkplain
 *       Front#accept accepts} the request on its event loop, its body paused;
 *   <li>on a virtual thread from the edge's one executor, the {@link RequestAuthenticator} decides
 *       who the request is for, and the front serves it as that {@link Caller} or answers the
 *       refusal (401, 429, 503) without reading the body. A request without an {@code
 *       Authorization} header but with a browser's session cookie ({@link SessionCookie}) is
 *       authenticated as {@code Bearer <its token>}, on every path, WebDAV's too; when its method
 *       may change something it must carry the session's CSRF header, or it is refused 403;
 *       its 401 names no Basic challenge (which would open the browser's login dialog), and what
 *       it is answered may not run as a page of this origin ({@code Content-Security-Policy:
 *       sandbox}, unless the front sets its own);
 *   <li>when the response ends (or the connection closes first) the edge writes one access line
 *       ({@link AccessLine}) and records the request metrics ({@link RequestMeters}, tagged {@code
 *       front=<name>}).
 * </ol>
 *
 * <pre>
 * EdgeRouter.to(webdav, authenticator, registry, clients, accessLog)
 *     .front("admin", AdminApi.PREFIX, admin)
 *     .front("api", SyncApi.PREFIX, api);
 * </pre>
 *
 * <p>The virtual threads come from a plain executor, never a Vert.x virtual-thread context: a
 * blocking stream read inside such a context deadlocks, as the data events it waits for queue on
 * the context the reader holds.
 */
public final class EdgeRouter implements Handler<HttpServerRequest> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.cairn.access");
  private static final Logger LOG = LoggerFactory.getLogger(EdgeRouter.class);
  // Header names and values of every authenticated response, as bytes the encoder copies.
  private static final AsciiString CSP = AsciiString.cached("Content-Security-Policy");
  private static final AsciiString CSP_SANDBOX = AsciiString.cached("sandbox; default-src 'none'");
  private static final AsciiString CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

  private record Route(String prefix, Front front, RequestMeters meters) {
    boolean matches(String path) {
      return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
  }

  private final Route webdav;
  private final RequestAuthenticator authenticator;
  private final MeterRegistry registry;
  private final ClientAddress clients;
  private final Consumer<String> accessLog;
  private final List<Route> routes = new ArrayList<>();
  private final ExecutorService requests =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-request-", 0).factory());

  private EdgeRouter(
      Front webdav,
      RequestAuthenticator authenticator,
      MeterRegistry registry,
      ClientAddress clients,
      Consumer<String> accessLog) {
    this.webdav = new Route("/", webdav, new RequestMeters(registry, RequestMeters.WEBDAV));
    this.authenticator = authenticator;
    this.registry = registry;
    this.clients = clients;
    this.accessLog = accessLog;
  }

  /**
   * An edge that sends every request to {@code webdav} until fronts are added.
   *
   * @param authenticator asked once per request (but for a front's {@linkplain Front.Call#anonymous
   *     anonymous} ones)
   * @param accessLog where the access lines go, when the logger {@code io.cairn.access} is on
   */
  public static EdgeRouter to(
      Front webdav,
      RequestAuthenticator authenticator,
      MeterRegistry registry,
      ClientAddress clients,
      Consumer<String> accessLog) {
    return new EdgeRouter(webdav, authenticator, registry, clients, accessLog);
  }

  /**
   * Sends the requests whose raw path starts with {@code prefix} (ending in '/'; the path without
   * that slash too) to {@code front}, its metrics tagged {@code front=name}. Call before serving.
   */
  public EdgeRouter front(String name, String prefix, Front front) {
    return front(name, List.of(prefix), front);
  }

  /** As {@link #front(String, String, Front)}, for several prefixes of one front. */
  public EdgeRouter front(String name, List<String> prefixes, Front front) {
    RequestMeters meters = new RequestMeters(registry, name);
    for (String prefix : prefixes) {
      if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
        throw new IllegalArgumentException("a front's prefix starts and ends with '/': " + prefix);
      }
      routes.add(new Route(prefix, front, meters));
    }
    return this;
  }

  @Override
  public void handle(HttpServerRequest req) {
    serve(route(req.path()), req);
  }

  private Route route(String path) {
    if (path != null) {
      for (Route r : routes) {
        if (r.matches(path)) {
          return r;
        }
      }
    }
    return webdav;
  }

  private void serve(Route route, HttpServerRequest req) {
    long start = System.nanoTime();
    String label = RequestMeters.method(req.method().name());
    Exchange exchange = new Exchange(remote(req));
    route.meters().started(label);
    AtomicBoolean recorded = new AtomicBoolean();
    HttpServerResponse response = req.response();
    response.endHandler(v -> record(route, req, exchange, label, start, recorded));
    response.closeHandler(v -> {
      exchange.closed();
      record(route, req, exchange, label, start, recorded);
    });
    Front.Call call = route.front().accept(req, exchange);
    try {
      requests.execute(() -> run(call, req, exchange));
    } catch (RejectedExecutionException e) {
      call.abandoned();
      response.setStatusCode(503).putHeader("Connection", "close").putHeader("Retry-After", "5").end();
    }
  }

  /** On the request's virtual thread: authenticate unless anonymous, then serve as the caller. */
  private void run(Front.Call call, HttpServerRequest req, Exchange exchange) {
    try {
      if (call.anonymous() || authenticator == null) {
        call.serve();
        return;
      }
      String authorization = req.getHeader("Authorization");
      String session = authorization == null ? SessionCookie.token(req) : null;
      boolean browser = session != null || SessionCookie.fromScript(req);
      // A user's file opened in a browser must not run as a page of this origin, whether the
      // browser sends the session cookie or Basic credentials it cached after a dialog (a file
      // planted in a shared folder would act as each reader). The web front's own pages set
      // their policy over this one; WebDAV clients ignore both headers.
      req.response().putHeader(CSP, CSP_SANDBOX);
      req.response().putHeader(CONTENT_TYPE_OPTIONS, NOSNIFF);
      if (session != null) {
        if (!SessionCookie.safe(req.method().name()) && !SessionCookie.carriesCsrf(req, session)) {
          call.refuse(RequestAuthenticator.Verdict.forbidden(SessionCookie.CSRF_REFUSAL));
          return;
        }
        authorization = "Bearer " + session;
      }
      RequestAuthenticator.Verdict verdict = authenticator.authenticate(authorization, exchange.remote());
      if (!verdict.allowed()) {
        call.refuse(browser ? verdict.withoutChallenge() : verdict);
        return;
      }
      exchange.user(verdict.user().name());
      exchange.credentials(authorization);
      Caller.callAs(verdict.user(), () -> {
        call.serve();
        return null;
      });
    } catch (Throwable t) {
      // Each front answers its own failures; this only catches what escaped one.
      LOG.error("request failed outside its front: {} {}", req.method(), req.path(), t);
      HttpServerResponse r = req.response();
      if (r.headWritten()) {
        r.reset();
      } else if (!r.ended()) {
        r.setStatusCode(500).putHeader("Connection", "close").end();
      }
    }
  }

  private void record(
      Route route, HttpServerRequest req, Exchange exchange, String label, long start, AtomicBoolean recorded) {
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    long nanos = System.nanoTime() - start;
    HttpServerResponse response = req.response();
    int status = response.getStatusCode();
    long received = exchange.received(req);
    long sent = exchange.sent(response);
    route.meters().ended(label, status, received, sent, nanos);
    if (ACCESS.isInfoEnabled()) {
      accessLog.accept(AccessLine.format(label, exchange.loggedPath(req), exchange.remote(), exchange.user(), status, received, sent, nanos));
    }
  }

  /** The client's address; repeated forwarding headers joined as one list. */
  private String remote(HttpServerRequest req) {
    String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    List<String> xff = req.headers().getAll("X-Forwarded-For");
    List<String> fwd = req.headers().getAll("Forwarded");
    return clients.resolve(peer, xff.isEmpty() ? null : String.join(", ", xff), fwd.isEmpty() ? null : String.join(", ", fwd));
  }

  /**
   * Stops taking requests (new ones answer 503) and waits up to {@code grace} for the threads of
   * those in progress to end; their responses may still be draining.
   */
  public void shutdown(Duration grace) {
    requests.shutdown();
    try {
      if (!requests.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        requests.shutdownNow();
      }
    } catch (InterruptedException e) {
      requests.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
