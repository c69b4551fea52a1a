package io.cairn.server.http;

import static io.cairn.server.http.JsonRoutes.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.files.Caller;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.webdav.StatusTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge: routing by prefix, one authentication per request before any front sees it, one access
 * line and one set of meters per request whatever its front, and the JSON fronts' one error table.
 */
class EdgeRouterTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AtomicInteger authentications = new AtomicInteger();
  private final List<String> servedAs = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;

  /** "Bearer ada" is ada; anything else is refused. */
  private final RequestAuthenticator authenticator = (authorization, address) -> {
    authentications.incrementAndGet();
    return "Bearer ada".equals(authorization)
        ? RequestAuthenticator.Verdict.allow(new Caller("ada", "home:ada", -1, List.of()))
        : RequestAuthenticator.Verdict.unauthorized("who are you?");
  };

  /** A stand-in for WebDAV: answers 207 "dav" as the current caller; OPTIONS is anonymous. */
  private Front.Call dav(io.vertx.core.http.HttpServerRequest req, Exchange exchange) {
    req.pause();
    return new Front.Call() {
      @Override
      public boolean anonymous() {
        return req.method() == HttpMethod.OPTIONS;
      }

      @Override
      public void serve() {
        Caller c = Caller.current();
        servedAs.add(c == null ? "anonymous" : c.name());
        req.resume();
        req.response().setStatusCode(207).end("dav");
      }

      @Override
      public void refuse(RequestAuthenticator.Verdict verdict) {
        verdict.headers().forEach(req.response()::putHeader);
        req.response().setStatusCode(verdict.status()).end();
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    JsonRoutes admin = new JsonRoutes(vertx, "/.cairn/admin/")
        .path("users", op(HttpMethod.POST, call -> new JsonRoutes.Answer(201, new JsonObject().put("ok", call.json().size()))))
        .path("fail/:kind", op(HttpMethod.POST, call -> {
          throw new CairnException(CairnException.Kind.valueOf(call.param("kind")), "failed on purpose");
        }));
    EdgeRouter edge = EdgeRouter.to(this::dav, authenticator, registry, ClientAddress.peerOnly(), lines::add)
        .front("admin", "/.cairn/admin/", admin);
    server = vertx.createHttpServer().requestHandler(edge).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitLines(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lines.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void aFrontRequestIsAuthenticatedOnceLoggedAndMeteredWithItsStatusAndUser() throws Exception {
    assertEquals(201, send("POST", "/.cairn/admin/users", "Bearer ada").statusCode());
    awaitLines(1);
    assertEquals(1, authentications.get());
    assertEquals(1, lines.size(), lines.toString());
    String line = lines.get(0);
    assertTrue(
        line.matches("method=POST path=/\\.cairn/admin/users status=201 bytes_in=2 bytes_out=8 duration_ms=\\d+\\.\\d{3} remote=127\\.0\\.0\\.1 user=ada"),
        line);
    var requests = registry.find("cairn.http.requests").tags("front", "admin", "method", "POST", "status", "2xx").counter();
    assertEquals(1.0, requests == null ? 0 : requests.count());
    assertEquals(0.0, registry.find("cairn.http.requests.active").tag("front", "admin").gauge().value());
  }

  @Test
  void everyOtherPathGoesToWebdavAuthenticatedAndRecordedTheSameWay() throws Exception {
    assertEquals(207, send("PROPFIND", "/.cairn/administer", "Bearer ada").statusCode());
    assertEquals(207, send("GET", "/docs/.cairn/admin/x", "Bearer ada").statusCode());
    assertEquals(401, send("GET", "/docs/x", null).statusCode());
    assertEquals(207, send("OPTIONS", "/docs/x", null).statusCode(), "OPTIONS is served without credentials");
    awaitLines(4);
    assertEquals(List.of("ada", "ada", "anonymous"), servedAs);
    assertEquals(3, authentications.get(), "once per request, never for OPTIONS");
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("user=ada"), lines.get(0));
    var dav = registry.find("cairn.http.requests").tags("front", "webdav", "method", "GET", "status", "4xx").counter();
    assertEquals(1.0, dav == null ? 0 : dav.count());
  }

  @Test
  void aRefusedCallerNeverReachesTheFrontAndLearnsNothingOfItsPaths() throws Exception {
    HttpResponse<String> known = send("POST", "/.cairn/admin/users", "Bearer bob");
    HttpResponse<String> unknown = send("POST", "/.cairn/admin/nothing", null);
    for (HttpResponse<String> r : List.of(known, unknown)) {
      assertEquals(401, r.statusCode());
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      assertEquals("unauthorized", new JsonObject(r.body()).getString("error"));
    }
    assertEquals(List.of(), servedAs);
  }

  @Test
  void unknownPathsAndMethodsAnswerJsonAfterAuthentication() throws Exception {
    HttpResponse<String> unknown = send("POST", "/.cairn/admin/nothing", "Bearer ada");
    assertEquals(404, unknown.statusCode());
    assertEquals(new JsonObject().put("error", "not_found").put("message", "no such resource"), new JsonObject(unknown.body()));
    HttpResponse<String> wrong = send("DELETE", "/.cairn/admin/users", "Bearer ada");
    assertEquals(405, wrong.statusCode());
    assertEquals("POST", wrong.headers().firstValue("Allow").orElse(null));
    assertEquals("method_not_allowed", new JsonObject(wrong.body()).getString("error"));
  }

  @Test
  void everyFailureKindIsTheStatusWebdavAnswersWithItsNameAsTheCode() throws Exception {
    for (CairnException.Kind k : CairnException.Kind.values()) {
      HttpResponse<String> r = send("POST", "/.cairn/admin/fail/" + k.name(), "Bearer ada");
      assertEquals(StatusTable.status(k, "POST"), r.statusCode(), k.name());
      JsonObject body = new JsonObject(r.body());
      assertEquals(k.name().toLowerCase(java.util.Locale.ROOT), body.getString("error"));
      if (k == CairnException.Kind.INTERNAL) {
        assertEquals("internal error", body.getString("message"), "no detail of a bug reaches the client");
      } else {
        assertEquals("failed on purpose", body.getString("message"));
      }
    }
  }
}
