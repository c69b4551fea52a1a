package io.cairn.webdav.lock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * TEST ONLY: the JDK's built-in HTTP server in front of a milton HttpManager on 127.0.0.1, so that
 * litmus can talk to the lock support before the real Vert.x adapter exists. Buffers whole bodies.
 */
final class JdkHttpFront implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpManager manager;

  JdkHttpFront(HttpManager manager) throws IOException {
    this.manager = manager;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Request.Method method;
      try {
        method = Request.Method.valueOf(exchange.getRequestMethod());
      } catch (IllegalArgumentException e) {
        exchange.sendResponseHeaders(501, -1);
        return;
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(", ", v)));
      String url = "http://" + headers.getOrDefault("Host", "127.0.0.1") + exchange.getRequestURI().getRawPath();
      TestResponse response = new TestResponse();
      manager.process(new TestRequest(method, url, headers, body), response);
      response.getHeaders()
          .forEach(
              (k, v) -> {
                if (!List.of("content-length", "transfer-encoding").contains(k.toLowerCase())) {
                  exchange.getResponseHeaders().add(k, v);
                }
              });
      byte[] out = response.bytes();
      int code = response.code();
      boolean noBody = method == Request.Method.HEAD || code == 204 || code == 304 || out.length == 0;
      exchange.sendResponseHeaders(code, noBody ? -1 : out.length);
      if (!noBody) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
