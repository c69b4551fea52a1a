package io.cairn.server;

import io.cairn.core.chunk.Chunk;
import io.cairn.core.chunk.ChunkStream;
import io.cairn.core.chunk.Chunker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A sync client's upload, as the sync API documents it, for tests and benchmarks: cut the file
 * with the server's chunker, ask which chunks are missing, upload those, commit the blocklist.
 * Counts the request body bytes it sent.
 */
public final class ApiSync {
  private static final String API = "/.cairn/api/v1/";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String authorization;
  private final Chunker chunker;
  private long sent;

  public ApiSync(String base, String authorization, Chunker chunker) {
    this.base = base;
    this.authorization = authorization;
    this.chunker = chunker;
  }

  /** Request body bytes sent so far. */
  public long sent() {
    return sent;
  }

  /** Uploads what the server lacks of the file {@code content} gives (called twice) and commits it at {@code path}. */
  public JsonObject upload(String path, Long baseVersion, Supplier<InputStream> content) throws IOException, InterruptedException {
    JsonArray blocklist = new JsonArray();
    JsonArray hashes = new JsonArray();
    long size = 0;
    try (ChunkStream chunks = chunker.stream(content.get())) {
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        blocklist.add(new JsonObject().put("hash", c.hash().hex()).put("size", c.length()));
        hashes.add(c.hash().hex());
        size += c.length();
      }
    }
    Set<Object> wanted = new HashSet<>();
    for (int i = 0; i < hashes.size(); i += 10_000) {
      JsonArray batch = new JsonArray(hashes.getList().subList(i, Math.min(hashes.size(), i + 10_000)));
      wanted.addAll(json(post("chunks/missing", new JsonObject().put("hashes", batch)), 200).getJsonArray("missing").getList());
    }
    if (!wanted.isEmpty()) {
      try (ChunkStream chunks = chunker.stream(content.get())) {
        for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
          if (wanted.remove(c.hash().hex())) {
            json(send("PUT", API + "chunks/" + c.hash().hex(), c.data(), "application/octet-stream"), 201);
          }
        }
      }
    }
    JsonObject commit = new JsonObject().put("path", path).put("blocklist", blocklist).put("size", size).put("base", baseVersion);
    return json(post("commit", commit), 200);
  }

  public HttpResponse<byte[]> post(String route, JsonObject body) throws IOException, InterruptedException {
    return send("POST", API + route, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  public HttpResponse<byte[]> send(String method, String path, byte[] body, String type) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
        .header("Authorization", authorization)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    sent += body == null ? 0 : body.length;
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonObject json(HttpResponse<byte[]> r, int status) {
    String text = new String(r.body(), StandardCharsets.UTF_8);
    if (r.statusCode() != status) {
      throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + text);
    }
    return new JsonObject(text);
  }
}
