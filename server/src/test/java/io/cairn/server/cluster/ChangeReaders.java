package io.cairn.server.cluster;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two readers of the sync API's changes, as a sync client would read them: one pages through
 * {@code changes} with a small limit, one follows the {@code events} stream and reconnects once
 * with {@code Last-Event-ID}. Each records every change it saw as {@code path@version}.
 */
final class ChangeReaders {
  private static final String BASIC =
      "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + DavClient.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final List<String> paged = new CopyOnWriteArrayList<>();
  final List<String> streamed = new CopyOnWriteArrayList<>();
  volatile int reconnects;

  static String cursor(String base) throws Exception {
    return new JsonObject(send(base, "/.cairn/api/v1/cursor").body()).getString("cursor");
  }

  private static HttpResponse<String> send(String base, String path) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", BASIC).timeout(Duration.ofSeconds(60)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static String seen(JsonObject change) {
    return change.getString("path") + "@" + change.getLong("version");
  }

  /** Pages with {@code limit} until {@code want} changes were seen or {@code deadline} (nanoTime). */
  void page(String base, String cursor, int limit, int want, long deadline) throws Exception {
    while (paged.size() < want && System.nanoTime() < deadline) {
      JsonObject page = new JsonObject(send(base, "/.cairn/api/v1/changes?wait=2&limit=" + limit + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)).body());
      page.getJsonArray("changes").forEach(o -> paged.add(seen((JsonObject) o)));
      cursor = page.getString("cursor");
    }
  }

  /**
   * Follows the stream from {@code cursor}; after {@code reconnectAfter} events drops the
   * connection and resumes from the last event's id, until {@code want} events or the deadline.
   */
  void follow(String base, String cursor, int reconnectAfter, int want, long deadline) throws Exception {
    String lastId = cursor;
    while (streamed.size() < want && System.nanoTime() < deadline) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/.cairn/api/v1/events"))
          .header("Authorization", BASIC).header("Last-Event-ID", lastId).timeout(Duration.ofSeconds(120));
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String id = null;
        int thisConnection = 0;
        for (String line = in.readLine(); line != null && streamed.size() < want && System.nanoTime() < deadline; line = in.readLine()) {
          if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("data: ")) {
            streamed.add(seen(new JsonObject(line.substring(6))));
            lastId = id;
            if (++thisConnection == reconnectAfter && reconnects == 0) {
              reconnects++;
              break;
            }
          }
        }
      }
    }
  }
}
