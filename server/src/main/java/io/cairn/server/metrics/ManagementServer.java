package io.cairn.server.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The management HTTP server, on its own port so that no WebDAV path is taken from users
 * (docs/adr/0004-management-port.md). GET or HEAD:
 *
 * <ul>
 *   <li>{@code /metrics} (path configurable): the Prometheus text format;
 *   <li>{@code /healthz}: 200 while the process serves HTTP at all;
 *   <li>{@code /readyz}: 200 when the journal and the chunk store answer ("ready", then a line per
 *       warning, such as damaged chunks recorded), else 503 with the reason.
 * </ul>
 *
 * Anything else is 404; other methods 405.
 */
public final class ManagementServer {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Vertx vertx;
  private final Telemetry telemetry;
  private final Readiness readiness;
  private final String metricsPath;

  private ManagementServer(Vertx vertx, Telemetry telemetry, Readiness readiness, String metricsPath) {
    this.vertx = vertx;
    this.telemetry = telemetry;
    this.readiness = readiness;
    this.metricsPath = metricsPath;
  }

  /** Listens on {@code host:port} (0: any free port); the future fails when the port is taken. */
  public static Future<HttpServer> start(
      Vertx vertx, String host, int port, String metricsPath, Telemetry telemetry, Readiness readiness) {
    ManagementServer m = new ManagementServer(vertx, telemetry, readiness, metricsPath);
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(m::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    boolean known = path.equals(metricsPath) || path.equals("/healthz") || path.equals("/readyz");
    if (!known) {
      reply(request, 404, TEXT, "not found: try " + metricsPath + ", /healthz or /readyz\n");
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().putHeader("Allow", "GET, HEAD");
      reply(request, 405, TEXT, "method not allowed\n");
      return;
    }
    if (path.equals(metricsPath)) {
      vertx.executeBlocking(telemetry::scrape, false)
          .onSuccess(text -> reply(request, 200, PROMETHEUS_TEXT, text))
          .onFailure(e -> reply(request, 500, TEXT, "scrape failed: " + e.getMessage() + "\n"));
    } else if (path.equals("/healthz")) {
      reply(request, 200, TEXT, "ok\n");
    } else {
      readiness
          .check()
          .onSuccess(warnings -> reply(request, 200, TEXT, "ready\n" + warnings.stream().map(w -> w + "\n")
              .collect(java.util.stream.Collectors.joining())))
          .onFailure(e -> reply(request, 503, TEXT, "not ready: " + e.getMessage() + "\n"));
    }
  }

  private static void reply(HttpServerRequest request, int status, String type, String body) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", "no-store")
        .end(request.method() == HttpMethod.HEAD ? "" : body);
  }
}
