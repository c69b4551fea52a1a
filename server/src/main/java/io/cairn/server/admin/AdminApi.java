package io.cairn.server.admin;

import io.cairn.core.CairnException;
import io.cairn.server.auth.Accounts;
import io.cairn.server.http.BoundedBody;
import io.cairn.server.http.Exchange;
import io.cairn.server.http.Front;
import io.cairn.webdav.auth.RequestAuthenticator;
import io.cairn.webdav.http.DavRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON API for administration, authenticated like every request (Basic or Bearer); the
 * endpoints are in {@link AdminEndpoints}, one route each on a vertx-web {@link Router}:
 *
 * <pre>
 * GET    /.cairn/admin/users                          admin: list users
 * POST   /.cairn/admin/users                          admin: {"name","password","admin"?} → 201
 * DELETE /.cairn/admin/users/:name                    admin
 * PUT    /.cairn/admin/users/:name/password           admin or NAME: {"password"}
 * PUT    /.cairn/admin/users/:name/quota              admin: {"bytes"} (-1: none)
 * GET    /.cairn/admin/users/:name/tokens             admin or NAME
 * POST   /.cairn/admin/users/:name/tokens             admin or NAME: {"name","expiresInSeconds"} → 201 with the token, shown once
 * DELETE /.cairn/admin/users/:name/tokens/:id         admin or NAME
 * POST   /.cairn/admin/namespaces                     admin: {"name"} → 201
 * PUT    /.cairn/admin/namespaces/:name/grants/:user  admin: {"access": "read"|"write"}
 * DELETE /.cairn/admin/namespaces/:name/grants/:user  admin
 * </pre>
 *
 * Every request is authenticated first, on the headers alone, while its body waits unread; only
 * an allowed caller's body is read, and at most {@link #MAX_BODY} bytes of it whatever the framing
 * ({@link BoundedBody}). Then the route table answers: 404 for a path it does not know, 405 with
 * {@code Allow} for a known path and another method.
 *
 * <p>Errors answer {@code {"error": "..."}}: 400 bad input, 401/429 as for WebDAV, 403 not allowed,
 * 404 unknown user, token or namespace, 405 wrong method, 409 exists already, 413 body too large;
 * a {@link CairnException} answers its kind's {@link CairnException.Kind#httpStatus() status}, the
 * same as WebDAV would.
 */
public final class AdminApi implements Front {
  /** Every admin URL starts with this; WebDAV never sees these paths. */
  public static final String PREFIX = "/.cairn/admin/";

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final String CALLER = "cairn.caller";
  private static final String BODY = "cairn.body";
  private static final String EXCHANGE = "cairn.exchange";
  /**
   * The exchange of the request {@link Router#handle} is routing: the router builds its own
   * context and calls the first route ({@link #admit}) before it returns, on this thread.
   */
  private static final ThreadLocal<Exchange> ROUTING = new ThreadLocal<>();

  private final RequestAuthenticator authenticator;
  private final ExecutorService executor;
  private final AdminEndpoints endpoints;
  private final Router router;

  /** @param executor runs each request (they block on the store): virtual threads */
  public AdminApi(Vertx vertx, Accounts accounts, RequestAuthenticator authenticator, ExecutorService executor) {
    this.authenticator = authenticator;
    this.executor = executor;
    this.endpoints = new AdminEndpoints(accounts);
    this.router = routes(Router.router(vertx));
  }

  @Override
  public void handle(HttpServerRequest req, Exchange exchange) {
    ROUTING.set(exchange);
    try {
      router.handle(req);
    } finally {
      ROUTING.remove();
    }
  }

  /** One method of one path: what an endpoint answers. */
  private record Op(HttpMethod method, AdminEndpoints.Endpoint endpoint) {}

  private static Op op(HttpMethod method, AdminEndpoints.Endpoint endpoint) {
    return new Op(method, endpoint);
  }

  private Router routes(Router r) {
    AdminEndpoints e = endpoints;
    r.route().handler(this::admit);
    path(r, "users", op(HttpMethod.GET, e::listUsers), op(HttpMethod.POST, e::addUser));
    path(r, "users/:name", op(HttpMethod.DELETE, e::removeUser));
    path(r, "users/:name/password", op(HttpMethod.PUT, e::setPassword));
    path(r, "users/:name/quota", op(HttpMethod.PUT, e::setQuota));
    path(r, "users/:name/tokens", op(HttpMethod.GET, e::listTokens), op(HttpMethod.POST, e::createToken));
    path(r, "users/:name/tokens/:id", op(HttpMethod.DELETE, e::revokeToken));
    path(r, "namespaces", op(HttpMethod.POST, e::createNamespace));
    path(r, "namespaces/:name/grants/:user", op(HttpMethod.PUT, e::grant), op(HttpMethod.DELETE, e::revokeGrant));
    r.errorHandler(404, ctx -> send(ctx.request(), 404, error("no such resource")));
    r.errorHandler(500, ctx -> {
      LOG.error("admin API failed: {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      send(ctx.request(), 500, error("internal error"));
    });
    return r;
  }

  /** The routes of one path, then its 405 for every other method, naming the allowed ones. */
  private void path(Router r, String path, Op... ops) {
    String full = PREFIX + path;
    for (Op o : ops) {
      r.route(o.method(), full).handler(ctx -> executor.execute(() -> serve(ctx, o.endpoint())));
    }
    String allow = List.of(ops).stream().map(o -> o.method().name()).collect(Collectors.joining(", "));
    r.route(full).handler(ctx -> {
      ctx.response().putHeader("Allow", allow);
      send(ctx.request(), 405, error("use " + allow));
    });
  }

  /** Pauses the body and authenticates on a virtual thread; the body is read only if allowed. */
  private void admit(RoutingContext ctx) {
    ctx.request().pause();
    ctx.put(EXCHANGE, ROUTING.get());
    executor.execute(() -> authenticate(ctx));
  }

  private void authenticate(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Exchange exchange = ctx.get(EXCHANGE);
    RequestAuthenticator.Verdict v;
    try {
      v = authenticator.authenticate(req.getHeader("Authorization"), exchange.remote());
    } catch (RuntimeException e) {
      LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      send(req, 500, error("internal error"));
      return;
    }
    if (!v.allowed()) {
      refuse(req, v);
      return;
    }
    ctx.put(CALLER, v.user().name());
    exchange.user(v.user().name());
    if (BoundedBody.declaredOver(req, MAX_BODY)) {
      BoundedBody.answerAndClose(req, 413, "application/json", error(new BoundedBody.TooLarge(MAX_BODY).getMessage()).encode());
      return;
    }
    BoundedBody.read(req, MAX_BODY)
        .onSuccess(body -> {
          ctx.put(BODY, body);
          ctx.next();
        })
        .onFailure(err -> {
          if (err instanceof BoundedBody.TooLarge) {
            BoundedBody.answerAndClose(req, 413, "application/json", error(err.getMessage()).encode());
          } else {
            send(req, 400, error("cannot read the request body"));
          }
        });
  }

  private static void refuse(HttpServerRequest req, RequestAuthenticator.Verdict v) {
    if (v.status() == 401) {
      req.response().putHeader("WWW-Authenticate", DavRequestHandler.CHALLENGE);
    }
    if (v.retryAfterSeconds() > 0) {
      req.response().putHeader("Retry-After", Long.toString(v.retryAfterSeconds()));
    }
    if (hasBody(req)) {
      // The body is never read for a caller we do not know: answer, then drop the connection.
      BoundedBody.answerAndClose(req, v.status(), "application/json", error(v.reason()).encode());
    } else {
      send(req, v.status(), error(v.reason()));
    }
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
  }

  /** Runs one endpoint on this (virtual) thread and answers its failure as every front does. */
  private void serve(RoutingContext ctx, AdminEndpoints.Endpoint endpoint) {
    HttpServerRequest req = ctx.request();
    try {
      String caller = ctx.get(CALLER);
      AdminEndpoints.Call call = endpoints.call(ctx, caller, ctx.get(BODY));
      AdminEndpoints.Answer answer = endpoint.serve(call);
      send(req, answer.status(), answer.body());
    } catch (AdminEndpoints.Refusal r) {
      send(req, r.status(), error(r.getMessage()));
    } catch (CairnException e) {
      // The kind's own status, as WebDAV answers it: one table for every front (house style §4).
      boolean internal = e.kind() == CairnException.Kind.INTERNAL;
      if (internal) {
        LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      }
      send(req, status(e.kind()), error(internal ? "internal error" : e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      send(req, 500, error("internal error"));
    }
  }

  /**
   * The status of a failure: its kind's, from the one table every front shares ({@link
   * CairnException.Kind#httpStatus()}); WebDAV adds only its protocol's exceptions (MKCOL).
   */
  static int status(CairnException.Kind kind) {
    return kind.httpStatus();
  }

  static JsonObject error(String message) {
    return new JsonObject().put("error", message == null ? "refused" : message);
  }

  private static void send(HttpServerRequest req, int status, JsonObject body) {
    var r = req.response().setStatusCode(status).putHeader("Cache-Control", "no-store");
    if (body == null) {
      r.end();
    } else {
      r.putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
