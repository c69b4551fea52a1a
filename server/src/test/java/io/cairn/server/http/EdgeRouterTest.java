package io.cairn.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.webdav.http.ClientAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge: routing by prefix, and one access line and one set of meters per front request. */
class EdgeRouterTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    EdgeRouter edge =
        EdgeRouter.to(
                req -> req.response().setStatusCode(207).end("dav"), registry, ClientAddress.peerOnly(), lines::add)
            .front("admin", "/.cairn/admin/", (req, exchange) -> {
              exchange.user("ada");
              req.body().onSuccess(b -> req.response().setStatusCode(201).end("{\"ok\":true}"));
            });
    server = vertx.createHttpServer().requestHandler(edge).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFrontRequestIsLoggedAndMeteredWithItsStatusAndUser() throws Exception {
    assertEquals(201, send("POST", "/.cairn/admin/users").statusCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lines.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, lines.size(), lines.toString());
    String line = lines.get(0);
    assertTrue(
        line.matches("method=POST path=/\\.cairn/admin/users status=201 bytes_in=2 bytes_out=11 duration_ms=\\d+\\.\\d{3} remote=127\\.0\\.0\\.1 user=ada"),
        line);
    var requests = registry.find("cairn.http.requests").tags("front", "admin", "method", "POST", "status", "2xx").counter();
    assertEquals(1.0, requests == null ? 0 : requests.count());
    assertEquals(0.0, registry.find("cairn.http.requests.active").tag("front", "admin").gauge().value());
  }

  @Test
  void everyOtherPathGoesToWebdavWhichRecordsItself() throws Exception {
    assertEquals(207, send("PROPFIND", "/.cairn/administer").statusCode());
    assertEquals(207, send("GET", "/docs/.cairn/admin/x").statusCode());
    assertEquals(201, send("GET", "/.cairn/admin").statusCode(), "the prefix without its slash too");
    Thread.sleep(100);
    assertEquals(1, lines.size(), lines.toString());
  }
}
