package io.cairn.webdav.http;

import io.cairn.files.Caller;
import io.cairn.webdav.auth.RequestAuthenticator;
import io.cairn.webdav.method.DavMethod;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x edge: takes each request on its event loop, attaches the body stream (pausing a body
 * that may be large) and the response adapter there, and runs {@link HttpManager#process} on a virtual thread from
 * {@code executor} (a plain virtual-thread executor, see the package notes). {@code Expect:
 * 100-continue} is answered by the body stream when the handler first reads the body, and a
 * connection whose body was left unread closes after the response (see {@link RequestBody}); the
 * Vert.x server must not answer {@code Expect} itself. Records every request
 * in {@link RequestMeters} and writes one access line per request, as {@code key=value} pairs (see
 * {@link AccessLine}), when the logger {@code io.cairn.access} is on.
 */
public final class DavRequestHandler implements Handler<HttpServerRequest> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.cairn.access");
  private static final Logger LOG = LoggerFactory.getLogger(DavRequestHandler.class);

  private final HttpManager manager;
  private final ExecutorService executor;
  private final AtomicInteger active;
  private final AtomicLong completed;
  private final RequestMeters meters;
  private final RequestAuthenticator authenticator;
  private final Consumer<String> accessLog;
  private final ClientAddress clients;

  /**
   * @param active counts requests being processed (incremented on arrival, decremented once the
   *     response has ended)
   * @param completed counts requests whose processing has ended
   * @param meters where request metrics go
   * @param authenticator asked for every request but OPTIONS before milton sees it; null to serve
   *     every request anonymously
   * @param accessLog where access lines go; null for the logger {@code io.cairn.access}, a line at
   *     a time
   * @param clients who a request is from, for the authenticator and the access log: the peer, or
   *     the client a trusted proxy names
   */
  public DavRequestHandler(
      HttpManager manager,
      ExecutorService executor,
      AtomicInteger active,
      AtomicLong completed,
      RequestMeters meters,
      RequestAuthenticator authenticator,
      Consumer<String> accessLog,
      ClientAddress clients) {
    this.manager = manager;
    this.executor = executor;
    this.active = active;
    this.completed = completed;
    this.meters = meters;
    this.authenticator = authenticator;
    this.accessLog = accessLog != null ? accessLog : ACCESS::info;
    this.clients = clients != null ? clients : ClientAddress.peerOnly();
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    Context context = Vertx.currentContext();
    Request.Method method = method(request.method().name());
    RequestBody body = new RequestBody(request, context);
    VertxMiltonResponse response = new VertxMiltonResponse(request, context);
    request.response().closeHandler(
        v -> {
          IOException closed = new IOException("the client closed the connection");
          body.fail(closed);
          response.connectionClosed();
        });
    VertxMiltonRequest miltonRequest = new VertxMiltonRequest(request, method, body, clients);
    String label = RequestMeters.method(request.method().name());
    active.incrementAndGet();
    meters.started(label);
    try {
      executor.execute(() -> process(miltonRequest, response, body, start, label));
    } catch (RejectedExecutionException e) {
      active.decrementAndGet();
      meters.ended(label, 503, 0, 0, System.nanoTime() - start);
      HttpServerResponse r = request.response();
      r.setStatusCode(503).putHeader("Server", "Cairn").putHeader("Connection", "close").end();
    }
  }

  private void process(
      VertxMiltonRequest request,
      VertxMiltonResponse response,
      RequestBody body,
      long start,
      String label) {
    String user = null;
    try {
      if (request.getMethod() == null) {
        response.setNonStandardHeader("Allow", DavMethod.allowAll());
        response.send(501, "text/plain; charset=utf-8", "Not Implemented\n");
      } else if (authenticator == null || request.getMethod() == Request.Method.OPTIONS) {
        manager.process(request, response);
      } else {
        RequestAuthenticator.Verdict verdict =
            authenticator.authenticate(request.header("Authorization"), request.getRemoteAddr());
        if (verdict.allowed()) {
          user = verdict.user().name();
          Caller.callAs(verdict.user(), () -> {
            manager.process(request, response);
            return null;
          });
        } else {
          refuse(response, verdict);
        }
      }
    } catch (Throwable t) {
      // ErrorFilter maps every failure inside milton; this only catches failures around it.
      LOG.error("request failed outside its handler: {} {}", request.getMethod(), request.rawPath(), t);
      if (response.isCommitted()) {
        response.abort();
      } else {
        response.resetForError();
        try {
          response.send(500, "text/plain; charset=utf-8", "Internal Server Error\n");
        } catch (IOException e) {
          response.abort();
        }
      }
    } finally {
      body.discard();
      boolean reusable = body.connectionReusable();
      if (!reusable) {
        response.setNonStandardHeader("Connection", "close");
      }
      response.finish(
          body::resumeOnLoopToDrain,
          () -> {
            if (!reusable) {
              body.closeAfterLinger();
            }
            active.decrementAndGet();
            completed.incrementAndGet();
          });
      long nanos = System.nanoTime() - start;
      meters.ended(label, response.statusCode(), request.bodyBytesRead(), response.bytesWritten(), nanos);
      if (ACCESS.isInfoEnabled()) {
        accessLog.accept(AccessLine.format(label, request, user, response.statusCode(), response.bytesWritten(), nanos));
      }
    }
  }

  /** Answers a request the authenticator refused; its body is never read (see RequestBody). */
  private static void refuse(VertxMiltonResponse response, RequestAuthenticator.Verdict verdict)
      throws IOException {
    if (verdict.status() == 401) {
      response.setNonStandardHeader("WWW-Authenticate", CHALLENGE);
    }
    if (verdict.retryAfterSeconds() > 0) {
      response.setNonStandardHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
    }
    String text =
        switch (verdict.status()) {
          case 401 -> "Unauthorized";
          case 429 -> "Too Many Requests";
          case 503 -> "Service Unavailable";
          default -> "Refused";
        };
    response.send(verdict.status(), "text/plain; charset=utf-8", text + "\n");
  }

  /** The challenge of a 401 (RFC 7617): Basic, UTF-8 credentials. */
  public static final String CHALLENGE = "Basic realm=\"Cairn\", charset=\"UTF-8\"";

  private static Request.Method method(String name) {
    for (Request.Method m : Request.Method.values()) {
      if (m.code.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
