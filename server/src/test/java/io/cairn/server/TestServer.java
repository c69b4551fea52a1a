package io.cairn.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A running server for a test class, with HTTP helpers that authenticate as a given user. */
final class TestServer implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-secret-1";

  final CairnServer server;
  final HttpClient client;
  final String scheme;

  private TestServer(CairnServer server, HttpClient client, String scheme) {
    this.server = server;
    this.client = client;
    this.scheme = scheme;
  }

  static TestServer start(Path data, Map<String, String> extra, HttpClient client) {
    Map<String, String> values = new HashMap<>(Map.of("port", "0", "data.dir", data.toString()));
    values.putAll(extra);
    CairnServer s = CairnServer.start(ServerConfig.load(null, values), ADMIN_PASSWORD);
    return new TestServer(s, client, s.config().tls() ? "https" : "http");
  }

  /** A server on {@code clock} (lock timeouts, tokens, journal times, gc's notion of now). */
  static TestServer start(Path data, Map<String, String> extra, java.time.Clock clock) {
    Map<String, String> values = new HashMap<>(Map.of("port", "0", "data.dir", data.toString()));
    values.putAll(extra);
    CairnServer s = CairnServer.start(ServerConfig.load(null, values), ADMIN_PASSWORD, clock);
    return new TestServer(s, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build(), s.config().tls() ? "https" : "http");
  }

  static TestServer start(Path data) {
    return start(data, Map.of(), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
  }

  int port() {
    return server.port();
  }

  String url(String path) {
    return scheme + "://127.0.0.1:" + port() + path;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> send(String authorization, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A sync API call ({@code route} under /.cairn/api/v1), with a JSON body or none. */
  HttpResponse<byte[]> api(String authorization, String method, String route, io.vertx.core.json.JsonObject body)
      throws Exception {
    return body == null ? send(authorization, method, "/.cairn/api/v1" + route, null)
        : send(authorization, method, "/.cairn/api/v1" + route, body.encode().getBytes(StandardCharsets.UTF_8),
            "Content-Type", "application/json");
  }

  /** A response's body as UTF-8 text. */
  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** A response's body as a JSON object. */
  static io.vertx.core.json.JsonObject json(HttpResponse<byte[]> r) {
    return new io.vertx.core.json.JsonObject(text(r));
  }

  /** A response read off a raw socket: status line code, headers, body. */
  record Raw(int status, String head, String body) {}

  /**
   * Sends {@code requestLine} exactly as given (no client normalizes the path), with {@code
   * headers} (CRLF-separated lines) and an optional body.
   */
  Raw raw(String requestTarget, String method, String authorization, String headers, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(requestTarget).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1:").append(port()).append("\r\n");
      if (authorization != null) {
        req.append("Authorization: ").append(authorization).append("\r\n");
      }
      if (headers != null && !headers.isEmpty()) {
        req.append(headers.strip()).append("\r\n");
      }
      req.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String rest = split < 0 ? "" : text.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Raw(status, head, rest);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
