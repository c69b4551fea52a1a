package io.cairn.server.http;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.server.auth.RequestAuthenticator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON front on a vertx-web {@link Router}: the admin API and the sync API. The router picks the
 * route on the event loop when the edge hands the request over ({@link #accept}); the endpoint runs
 * later on the edge's virtual thread, once the caller is authenticated, and reads the body only
 * then, bounded. An unknown path answers 404, a known path with another method 405 with {@code
 * Allow}, both after authentication.
 *
 * <p>Every failure answers {@code {"error": CODE, "message": TEXT}}: a {@link Refusal} its own
 * status and code, a {@link CairnException} its kind's status from the one table every front shares
 * ({@link CairnException.Kind#httpStatus()}) and its kind's name as the code.
 */
public final class JsonRoutes implements Front {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRoutes.class);
  /** The route the router picked for the request it is routing, on this thread (the event loop). */
  private static final ThreadLocal<Picked> ROUTING = new ThreadLocal<>();
  /** A {@code %} not followed by two hex digits. */
  private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

  /** One endpoint: blocking, on the request's virtual thread, as the caller. */
  @FunctionalInterface
  public interface Endpoint {
    /** The answer; null when the endpoint wrote the response itself (a stream). */
    Answer serve(Call call) throws Exception;
  }

  /** A status and a JSON body (null: none). */
  public record Answer(int status, JsonObject body) {
    public static Answer ok(JsonObject body) {
      return new Answer(200, body);
    }
  }

  /** A refusal with its status, code and message, and more fields for the error body. */
  public static final class Refusal extends RuntimeException {
    private final int status;
    private final String code;
    private final JsonObject extra;

    public Refusal(int status, String code, String message) {
      this(status, code, message, null);
    }

    public Refusal(int status, String code, String message, JsonObject extra) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.extra = extra;
    }

    public int status() {
      return status;
    }

    JsonObject body() {
      JsonObject b = error(code, getMessage());
      if (extra != null) {
        b.mergeIn(extra);
      }
      return b;
    }
  }

  /** The request as an endpoint sees it. */
  public static final class Call {
    private final RoutingContext ctx;
    private final Exchange exchange;
    private final int maxBody;
    private Buffer body;

    private Call(RoutingContext ctx, Exchange exchange, int maxBody) {
      this.ctx = ctx;
      this.exchange = exchange;
      this.maxBody = maxBody;
    }

    /** A path parameter ({@code :name}). */
    public String param(String name) {
      return ctx.pathParam(name);
    }

    /** A query parameter; null when absent. */
    public String query(String name) {
      List<String> values;
      try {
        values = ctx.queryParam(name);
      } catch (RuntimeException e) {
        throw new Refusal(400, "bad_request", "the query string is not valid percent-encoding");
      }
      return values.isEmpty() ? null : values.get(0);
    }

    public HttpServerRequest request() {
      return ctx.request();
    }

    public HttpServerResponse response() {
      return ctx.response();
    }

    /** Runs {@code action} if the client goes away before the response has ended (a stream). */
    public void onClose(Runnable action) {
      exchange.onClose(action);
    }

    /** The client's address as the edge resolved it. */
    public String remote() {
      return exchange.remote();
    }

    /** The credentials the edge authenticated with ({@link Exchange#credentials()}); null when anonymous. */
    public String credentials() {
      return exchange.credentials();
    }

    /** Who the edge authenticated: the access line's user. */
    public String user() {
      return exchange.user();
    }

    /** The whole body, at most the route's limit (413 beyond); read on first call. */
    public Buffer body() {
      if (body == null) {
        HttpServerRequest req = ctx.request();
        if (BoundedBody.declaredOver(req, maxBody)) {
          throw new Refusal(413, "too_large", "the body is larger than " + maxBody + " bytes");
        }
        try {
          body = Await.result(BoundedBody.read(req, maxBody));
        } catch (BoundedBody.TooLarge e) {
          throw new Refusal(413, "too_large", e.getMessage());
        } catch (RuntimeException e) {
          throw new Refusal(400, "bad_request", "cannot read the request body");
        }
      }
      return body;
    }

    /** The body as a JSON object; 400 when it is not one. */
    public JsonObject json() {
      Buffer b = body();
      if (b.length() == 0) {
        throw new Refusal(400, "bad_request", "the body must be a JSON object");
      }
      try {
        return new JsonObject(b);
      } catch (DecodeException | ClassCastException e) {
        throw new Refusal(400, "bad_request", "the body is not a JSON object");
      }
    }
  }

  /** What routing decided: an endpoint to run, or an answer to give, after authentication. */
  private record Picked(RoutingContext ctx, Endpoint endpoint, int maxBody, Refusal answer, boolean anonymous) {
    Picked(RoutingContext ctx, Endpoint endpoint, int maxBody, Refusal answer) {
      this(ctx, endpoint, maxBody, answer, false);
    }
  }

  private final Router router;
  private final String prefix;
  private final List<String> described = new java.util.ArrayList<>();
  private boolean everyone;

  /** Routes under {@code prefix} (ending in '/'). */
  public JsonRoutes(Vertx vertx, String prefix) {
    this.router = Router.router(vertx);
    this.prefix = prefix;
    router.errorHandler(404, ctx -> pick(new Picked(ctx, null, 0, new Refusal(404, "not_found", "no such resource"), everyone)));
    // A path the router cannot decode (a bad percent-escape): answered after authentication too.
    router.errorHandler(400, ctx -> pick(new Picked(ctx, null, 0, new Refusal(400, "bad_request", "the path is not valid percent-encoding"), everyone)));
  }

  /**
   * Answers an unknown path or a path it cannot decode without authenticating, as its routes are
   * (share links: a mistyped link gets 404, not a credentials dialog). Call before serving.
   */
  public JsonRoutes servingEveryone() {
    everyone = true;
    return this;
  }

  /**
   * One method of one path; an {@code anonymous} one is served without authenticating (the web
   * interface's login and its static files), {@link Call#user()} null.
   */
  public record Op(HttpMethod method, int maxBody, Endpoint endpoint, boolean anonymous) {
    public Op(HttpMethod method, int maxBody, Endpoint endpoint) {
      this(method, maxBody, endpoint, false);
    }

    /** This operation, served without authenticating. */
    public Op withoutAuthentication() {
      return new Op(method, maxBody, endpoint, true);
    }
  }

  public static Op op(HttpMethod method, Endpoint endpoint) {
    return new Op(method, 64 * 1024, endpoint);
  }

  public static Op op(HttpMethod method, int maxBody, Endpoint endpoint) {
    return new Op(method, maxBody, endpoint);
  }

  /** The routes of one path (relative to the prefix), then 405 naming them for any other method. */
  public JsonRoutes path(String path, Op... ops) {
    String full = prefix + path;
    for (Op o : ops) {
      described.add(o.method().name() + " " + path);
      router.route(o.method(), full).handler(ctx -> pick(new Picked(ctx, o.endpoint(), o.maxBody(), null, o.anonymous())));
    }
    String allow = List.of(ops).stream().map(o -> o.method().name()).collect(Collectors.joining(", "));
    // A path that serves everyone answers its other methods without asking who calls, too.
    boolean anonymous = List.of(ops).stream().allMatch(Op::anonymous);
    router.route(full).handler(ctx -> {
      ctx.response().putHeader("Allow", allow);
      pick(new Picked(ctx, null, 0, new Refusal(405, "method_not_allowed", "use " + allow), anonymous));
    });
    return this;
  }

  /** Every route as {@code METHOD path} (relative to the prefix), in the order added: for docs checks. */
  public List<String> routes() {
    return List.copyOf(described);
  }

  private static void pick(Picked p) {
    ROUTING.set(p);
  }

  @Override
  public Front.Call accept(HttpServerRequest req, Exchange exchange) {
    req.pause();
    Picked picked = null;
    // vertx-web answers a path it cannot percent-decode itself, in plain text and before anyone is
    // authenticated: such a path never reaches it.
    if (!BAD_ESCAPE.matcher(req.path()).find()) {
      try {
        router.handle(req);
        picked = ROUTING.get();
      } finally {
        ROUTING.remove();
      }
    }
    if (picked == null) {
      // The router answered nothing (it could not read the request's path): refuse it ourselves.
      picked = new Picked(null, null, 0, new Refusal(400, "bad_request", "the path is not valid percent-encoding"), everyone);
    }
    Picked chosen = picked;
    return new Front.Call() {
      @Override
      public boolean anonymous() {
        return chosen.anonymous();
      }

      @Override
      public void serve() {
        run(req, chosen, exchange);
      }

      @Override
      public void refuse(RequestAuthenticator.Verdict verdict) {
        verdict.headers().forEach(req.response()::putHeader);
        JsonObject body = error(code(verdict.status()), verdict.reason());
        if (BoundedBody.present(req)) {
          // The body is never read for a caller we do not know: answer, then drop the connection.
          BoundedBody.answerAndClose(req, verdict.status(), "application/json", body.encode());
        } else {
          send(req.response(), verdict.status(), body);
        }
      }
    };
  }

  private static void run(HttpServerRequest req, Picked p, Exchange exchange) {
    try {
      if (p.answer() != null) {
        throw p.answer();
      }
      Answer answer = p.endpoint().serve(new Call(p.ctx(), exchange, p.maxBody()));
      if (answer != null) {
        send(req.response(), answer.status(), answer.body());
      }
    } catch (Refusal r) {
      answer(req, r.status(), r.body());
    } catch (CairnException e) {
      boolean internal = e.kind() == CairnException.Kind.INTERNAL;
      if (internal) {
        LOG.error("{} {} failed", req.method(), req.path(), e);
      } else if (e.kind() == CairnException.Kind.DAMAGED) {
        LOG.warn("{} {} failed: {}", req.method(), req.path(), e.getMessage());
      }
      answer(req, e.kind().httpStatus(), error(code(e.kind()), internal ? "internal error" : e.getMessage()));
    } catch (Exception e) {
      if (req.response().closed()) {
        LOG.debug("{} {}: the client went away", req.method(), req.path(), e);
        return;
      }
      LOG.error("{} {} failed", req.method(), req.path(), e);
      answer(req, 500, error("internal", "internal error"));
    }
  }

  /** A failure's answer; a body left unread (or half read) closes the connection after it. */
  private static void answer(HttpServerRequest req, int status, JsonObject body) {
    if (req.response().headWritten()) {
      req.response().reset();
      return;
    }
    if (status == 503) { // TRANSIENT: a backend unreachable, or a commit gc raced; worth a retry soon
      req.response().putHeader("Retry-After", io.cairn.webdav.StatusTable.RETRY_AFTER_SECONDS);
    }
    if (!req.isEnded() && BoundedBody.present(req)) {
      BoundedBody.answerAndClose(req, status, "application/json", body.encode());
    } else {
      send(req.response(), status, body);
    }
  }

  /** The error code of a failure kind: its name in lower case ({@code not_found}, {@code conflict}...). */
  public static String code(CairnException.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static String code(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 429 -> "too_many_requests";
      case 503 -> "transient";
      default -> "refused";
    };
  }

  /** The one error body of the JSON fronts. */
  public static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message == null ? code : message);
  }

  /** Ends the response with {@code status} and {@code body} (none when null), never cached. */
  public static void send(HttpServerResponse r, int status, JsonObject body) {
    r.setStatusCode(status).putHeader("Cache-Control", "no-store");
    if (body == null) {
      r.end();
    } else {
      r.putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
