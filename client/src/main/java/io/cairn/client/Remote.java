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
 * {@link IOException}. A request refused by a passing unavailability (503, 429, a lost connection)
 * is sent again as far as it is safe ({@link Retries}). Counts the bytes of every body it sends and
 * receives.
 */
final class Remote {
  static final String PREFIX = "/.cairn/api/v1/";

  private final HttpClient http;
  private final URI origin;
  private final String authorization;
  private final Retries retries;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();

  /**
   * @param origin scheme, host and port of the server
   * @param authorization the {@code Authorization} header's value (Basic or Bearer)
   * @param retries how requests refused by a passing unavailability are sent again
   */
  Remote(URI origin, String authorization, Retries retries) {
    this.origin = origin;
    this.authorization = authorization;
    this.retries = retries;
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
  static class Unreachable extends IOException {
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
    Map<String, Object> out = post("chunks/missing", Map.of("hashes", hashes), Retries.Safety.IDEMPOTENT);
    return (List<String>) (List<?>) out.get("missing");
  }

  void putChunk(ChunkHash hash, byte[] data, int length) throws IOException {
    HttpRequest req = request("chunks/" + hash.hex())
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, length))
        .build();
    sent.addAndGet(length);
    check(send(req, HttpResponse.BodyHandlers.ofString(), new Retries.Attempts(Retries.Safety.IDEMPOTENT)));
  }

  byte[] getChunk(ChunkHash hash) throws IOException {
    HttpResponse<byte[]> res = send(request("chunks/" + hash.hex()).GET().build(), HttpResponse.BodyHandlers.ofByteArray(),
        new Retries.Attempts(Retries.Safety.IDEMPOTENT));
    if (res.statusCode() != 200) {
      throw error(res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    }
    received.addAndGet(res.body().length);
    return res.body();
  }

  /**
   * {@code POST commit}; 412 (with {@code current}) and 409 {@code missing_chunks} as ApiError.
   * Sent again after a 503 or a lost answer unless {@code keep-both} ({@link Retries.Safety}): a
   * commit that had landed then answers {@code changed: false}, or, when someone committed over it
   * meanwhile, 412, and the history shows it ({@link OwnCommits}).
   */
  Map<String, Object> commit(String path, Blocklist blocklist, long mtime, Long base, String onConflict) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    body.put("size", blocklist.size());
    body.put("mtime", mtime);
    body.put("base", base);
    body.put("on_conflict", onConflict);
    body.put("blocklist", blocks(blocklist));
    Retries.Attempts attempts = new Retries.Attempts("keep-both".equals(onConflict) ? Retries.Safety.ONCE
        : Retries.Safety.SELF_CHECKING);
    try {
      return post("commit", body, attempts);
    } catch (ApiError e) {
      Map<String, Object> landed = e.status == 412 && attempts.ambiguous
          ? OwnCommits.landed(history(path), path, io.cairn.core.ContentHash.of(blocklist), base) : null;
      if (landed == null) {
        throw e;
      }
      return landed;
    }
  }

  /** The newest page of the history of {@code path} (newest first); empty when it has none. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> history(String path) throws IOException {
    try {
      return (List<Map<String, Object>>) (List<?>) json(get("history?limit=100&path=" + q(path))).get("versions");
    } catch (ApiError e) {
      if (e.status == 404) {
        return List.of();
      }
      throw e;
    }
  }

  /** {@code POST mkdir}; a folder already there (made by an attempt whose answer was lost) as ApiError. */
  Map<String, Object> mkdir(String path) throws IOException {
    return post("mkdir", Map.of("path", path), Retries.Safety.SELF_CHECKING);
  }

  /**
   * {@code POST delete}, of version {@code base} (null: whatever is there, never sent again after
   * it may have been carried out). A conditional delete sent again after a lost answer finds
   * nothing there: it is done.
   */
  Map<String, Object> delete(String path, Long base) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    if (base != null) {
      body.put("base", base);
    }
    Retries.Attempts attempts = new Retries.Attempts(base == null ? Retries.Safety.ONCE : Retries.Safety.SELF_CHECKING);
    try {
      return post("delete", body, attempts);
    } catch (ApiError e) {
      if (e.status == 404 && attempts.ambiguous) {
        return Map.of("path", path, "kind", "deleted");
      }
      throw e;
    }
  }

  Map<String, Object> move(String from, String to, Long base) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("to", to);
    if (base != null) {
      body.put("base", base);
    }
    return post("move", body, Retries.Safety.ONCE);
  }

  /** The live change stream from {@code cursor} (or now): Server-Sent Events, for {@code --watch}. */
  InputStream events(String cursor) throws IOException {
    HttpRequest req = request("events" + (cursor == null ? "" : "?cursor=" + q(cursor)))
        .timeout(Duration.ofHours(2))
        .GET().build();
    HttpResponse<InputStream> res = sendOnce(req, HttpResponse.BodyHandlers.ofInputStream()); // Watch reconnects
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
    return body(send(request(route).GET().build(), HttpResponse.BodyHandlers.ofString(),
        new Retries.Attempts(Retries.Safety.IDEMPOTENT)));
  }

  private Map<String, Object> post(String route, Object body, Retries.Safety safety) throws IOException {
    return post(route, body, new Retries.Attempts(safety));
  }

  private Map<String, Object> post(String route, Object body, Retries.Attempts attempts) throws IOException {
    String text = Json.write(body);
    sent.addAndGet(text.length());
    HttpRequest req = request(route)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text))
        .build();
    return json(body(send(req, HttpResponse.BodyHandlers.ofString(), attempts)));
  }

  private HttpRequest.Builder request(String route) {
    return HttpRequest.newBuilder(origin.resolve(PREFIX + route))
        .timeout(Duration.ofMinutes(5))
        .header("Authorization", authorization);
  }

  /**
   * Sends {@code req}, and again after a 503 or 429 (as {@code Retry-After} says) or a connection
   * failure, as far as {@code attempts.safety} allows ({@link Retries.Safety}); a connection failure
   * only once this run has had an answer (a server never reached is reported at once).
   */
  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, Retries.Attempts attempts)
      throws IOException {
    while (true) {
      HttpResponse<T> res;
      try {
        res = sendOnce(req, handler);
      } catch (Unreachable e) {
        boolean neverSent = e.getCause() instanceof ConnectException
            || e.getCause() instanceof java.net.http.HttpConnectTimeoutException;
        if (!retries.metTheServer() || e.getCause() instanceof InterruptedException
            || attempts.safety == Retries.Safety.ONCE && !neverSent) {
          throw e;
        }
        attempts.ambiguous |= !neverSent;
        retries.await(attempts, e.getMessage(), null);
        continue;
      }
      int status = res.statusCode();
      boolean refused = status == 429 || status == 503 && attempts.safety != Retries.Safety.ONCE;
      if (!refused) {
        retries.answered();
        return res;
      }
      attempts.ambiguous |= status == 503;
      ApiError refusal = error(status, text(res.body()));
      retries.await(attempts, status + (refusal.code.startsWith("http_") ? "" : " " + refusal.code) + ": "
          + refusal.getMessage(),
          res.headers().firstValue("Retry-After").orElse(null));
    }
  }

  /** A refusal's body as text (the answers retried are read as text or bytes). */
  private static String text(Object body) {
    return body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : body instanceof String s ? s : "";
  }

  private <T> HttpResponse<T> sendOnce(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
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
