package io.cairn.server;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** For benchmarks: how long from the start of a PUT on one node until its event arrives on a stream of another. */
public final class SseLatency {
  private SseLatency() {}

  /** {@code rounds} PUTs on {@code writer}, one at a time, while an event stream on {@code reader} waits for each. */
  public static String measure(String authorization, String writer, String reader, int rounds, String label) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    HttpRequest events = HttpRequest.newBuilder(URI.create(reader + "/.cairn/api/v1/events")).header("Authorization", authorization).build();
    HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
    Thread follower = Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("data: ")) {
            arrived.put(new JsonObject(line.substring(6)).getString("path"), System.nanoTime());
          }
        }
      } catch (Exception e) {
        // closed at the end
      }
    });
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String path = "/sse-" + label.replace(' ', '-') + "-" + i + ".txt";
      long t0 = System.nanoTime();
      HttpRequest put = HttpRequest.newBuilder(URI.create(writer + path)).header("Authorization", authorization)
          .PUT(HttpRequest.BodyPublishers.ofString("event " + i)).build();
      http.send(put, HttpResponse.BodyHandlers.discarding());
      long deadline = t0 + Duration.ofSeconds(10).toNanos();
      while (!arrived.containsKey(path) && System.nanoTime() < deadline) {
        Thread.sleep(0, 50_000);
      }
      Long t1 = arrived.get(path);
      if (t1 != null) {
        micros.add((t1 - t0) / 1000);
      }
    }
    stream.body().close();
    follower.interrupt();
    Collections.sort(micros);
    return String.format("sse latency (%s): %d/%d events, PUT start to event p50 %.2f ms, p99 %.2f ms", label, micros.size(), rounds,
        micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.99)) / 1000.0);
  }
}
