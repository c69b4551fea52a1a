package io.cairn.client;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's sync API ({@code /.cairn/api/v1/}, docs/api.md) as Java calls. A refusal is an
 * {@link ApiError} carrying the status and error code; a server that cannot be reached is an
 * {@link IOException}. Counts the bytes of every body it sends and receives.
 */
final class Remote {
  static final String PREFIX = "/.cairn/api/v1/";

  private final HttpClient http;
  private final URI origin;
  private final String authorization;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();

  /**
   * @param origin scheme, host and port of the server
   * @param authorization the {@code Authorization} header's value (Basic or Bearer)
   */
  Remote(URI origin, String authorization) {
    this.origin = origin;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** A refusal from the server: its status, its {@code error} code and the whole answer. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final Map<String, Object> body;

    ApiError(int status, String code, String message, Map<String, Object> body) {
      super(message);
      this.status = status;
      this.code = code;
      this.body = body;
    }
  }

  /** The server could not be reached, or stopped answering: the run stops, nothing is half-done. */
  static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The answer of {@code GET server}: the API version and the chunker's sizes. */
  Map<String, Object> server() throws IOException {
    return json(get("server"));
  }

  String cursor() throws IOException {
    return (String) json(get("cursor")).get("cursor");
  }

  /** One page of changes after {@code cursor}, with blocklists; 410 {@code reset} as ApiError. */
  Map<String, Object> changes(String cursor, int limit) throws IOException {
    return json(get("changes?blocklist=1&limit=" + limit + "&cursor=" + q(cursor)));
  }

  /** Every child of a folder, with blocklists, all pages. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> list(String path) throws IOException {
    List<Map<String, Object>> all = new ArrayList<>();
    String after = null;
    do {
      Map<String, Object> page = json(get("list?blocklist=1&limit=10000&path=" + q(path)
          + (after == null ? "" : "&after=" + q(after))));
      for (Object e : (List<Object>) page.get("entries")) {
        all.add((Map<String, Object>) e);
      }
      after = (String) page.get("after");
    } while (after != null);
    return all;
  }

  /** The entry at {@code path} with its blocklist, or null when nothing is there. */
  Map<String, Object> entry(String path) throws IOException {
    try {
      return json(get("entry?blocklist=1&path=" + q(path)));
    } catch (ApiError e) {
      if (e.status == 404) {
        return null;
      }
      throw e;
    }
  }

  /** Which of {@code hashes} the server lacks (or will not let this caller claim). */
  @SuppressWarnings("unchecked")
  List<String> missing(List<String> hashes) throws IOException {
    Map<String, Object> out = post("chunks/missing", Map.of("hashes", hashes));
    return (List<String>) (List<?>) out.get("missing");
  }

  void putChunk(ChunkHash hash, byte[] data, int length) throws IOException {
    HttpRequest req = request("chunks/" + hash.hex())
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, length))
        .build();
    sent.addAndGet(length);
    check(send(req, HttpResponse.BodyHandlers.ofString()));
  }

  byte[] getChunk(ChunkHash hash) throws IOException {
    HttpResponse<byte[]> res = send(request("chunks/" + hash.hex()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw error(res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    }
    received.addAndGet(res.body().length);
    return res.body();
  }

  /** {@code POST commit}; 412 (with {@code current}) and 409 {@code missing_chunks} as ApiError. */
  Map<String, Object> commit(String path, Blocklist blocklist, long mtime, Long base, String onConflict) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    body.put("size", blocklist.size());
    body.put("mtime", mtime);
    body.put("base", base);
    body.put("on_conflict", onConflict);
    body.put("blocklist", blocks(blocklist));
    return post("commit", body);
  }

  Map<String, Object> mkdir(String path) throws IOException {
    return post("mkdir", Map.of("path", path));
  }

  Map<String, Object> delete(String path, Long base) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    if (base != null) {
      body.put("base", base);
    }
    return post("delete", body);
  }

  Map<String, Object> move(String from, String to, Long base) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("to", to);
    if (base != null) {
      body.put("base", base);
    }
    return post("move", body);
  }

  /** The live change stream from {@code cursor} (or now): Server-Sent Events, for {@code --watch}. */
  InputStream events(String cursor) throws IOException {
    HttpRequest req = request("events" + (cursor == null ? "" : "?cursor=" + q(cursor)))
        .timeout(Duration.ofHours(2))
        .GET().build();
    HttpResponse<InputStream> res = send(req, HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      try (InputStream in = res.body()) {
        throw error(res.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return res.body();
  }

  static List<Map<String, Object>> blocks(Blocklist blocklist) {
    List<Map<String, Object>> out = new ArrayList<>(blocklist.blocks().size());
    for (BlockRef b : blocklist.blocks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("hash", b.hash().hex());
      m.put("size", b.length());
      out.add(m);
    }
    return out;
  }

  /** A blocklist from the API's {@code [{"hash", "size"}]}; empty when absent. */
  @SuppressWarnings("unchecked")
  static Blocklist blocklist(Object raw) {
    if (raw == null) {
      return Blocklist.EMPTY;
    }
    List<BlockRef> refs = new ArrayList<>();
    for (Object o : (List<Object>) raw) {
      Map<String, Object> b = (Map<String, Object>) o;
      refs.add(new BlockRef(ChunkHash.parse((String) b.get("hash")), ((Number) b.get("size")).intValue()));
    }
    return new Blocklist(refs);
  }

  private String get(String route) throws IOException {
    return body(send(request(route).GET().build(), HttpResponse.BodyHandlers.ofString()));
  }

  private Map<String, Object> post(String route, Object body) throws IOException {
    String text = Json.write(body);
    sent.addAndGet(text.length());
    HttpRequest req = request(route)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text))
        .build();
    return json(body(send(req, HttpResponse.BodyHandlers.ofString())));
  }

  private HttpRequest.Builder request(String route) {
    return HttpRequest.newBuilder(origin.resolve(PREFIX + route))
        .timeout(Duration.ofMinutes(5))
        .header("Authorization", authorization);
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted", e);
    } catch (ConnectException e) {
      throw new Unreachable("cannot reach " + origin + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")", e);
    } catch (HttpTimeoutException e) {
      throw new Unreachable("no answer from " + origin + " in time", e);
    } catch (IOException e) {
      throw new Unreachable("lost the connection to " + origin + " (" + e.getMessage() + ")", e);
    }
  }

  private String body(HttpResponse<String> res) {
    check(res);
    received.addAndGet(res.body().length());
    return res.body();
  }

  private void check(HttpResponse<String> res) {
    if (res.statusCode() / 100 != 2) {
      throw error(res.statusCode(), res.body());
    }
  }

  private static ApiError error(int status, String text) {
    Map<String, Object> body;
    try {
      body = Json.object(text);
    } catch (IllegalArgumentException e) {
      body = Map.of();
    }
    String code = body.get("error") instanceof String s ? s : "http_" + status;
    String message = body.get("message") instanceof String s ? s : "the server answered " + status;
    if (status == 401) {
      message = "authentication failed: check the user and password or token";
    }
    return new ApiError(status, code, message, body);
  }

  private static Map<String, Object> json(String text) {
    return Json.object(text);
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
