package io.cairn.server;

import io.cairn.core.ChunkHash;
import io.cairn.server.UploadLoad.Attempt;
import io.cairn.server.UploadLoad.Outcome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a user checks after a crash, against an {@link UploadLoad}'s ledger: every upload that got
 * a 2xx is there with its exact SHA-256, as the current content or, when another upload to the
 * same path may have committed after it, in that path's history (sync API {@code history} and
 * {@code content}); no file is torn (its SHA-256 is one of the contents sent to its path); a path
 * nothing was acknowledged for may be absent.
 */
final class LedgerCheck {
  private final Function<String, String> url;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LedgerCheck(Function<String, String> url, String authorization) {
    this.url = url;
    this.authorization = authorization;
  }

  /** Checks every path of {@code attempts}; returns the problems found (empty: all well). */
  List<String> problems(List<Attempt> attempts) throws Exception {
    List<String> problems = new ArrayList<>();
    Map<String, List<Attempt>> byPath = attempts.stream().collect(Collectors.groupingBy(Attempt::path));
    for (Map.Entry<String, List<Attempt>> e : byPath.entrySet()) {
      String path = e.getKey();
      List<Attempt> sent = e.getValue();
      HttpResponse<byte[]> current;
      try {
        current = get(path);
      } catch (IOException broken) {
        problems.add(path + ": GET broke off: " + broken.getMessage());
        continue;
      }
      String currentSha = current.statusCode() == 200 ? ChunkHash.sha256(current.body()).hex() : null;
      if (current.statusCode() != 200 && current.statusCode() != 404) {
        problems.add(path + ": GET answered " + current.statusCode());
        continue;
      }
      Set<String> shas = sent.stream().map(Attempt::sha256).collect(Collectors.toSet());
      if (currentSha != null && !shas.contains(currentSha)) {
        problems.add(path + ": torn, its content " + currentSha + " is none of the " + shas.size() + " sent to it");
      }
      for (Attempt a : sent) {
        if (a.outcome() != Outcome.ACKED || a.sha256().equals(currentSha)) {
          continue;
        }
        if (currentSha == null) {
          problems.add(path + ": acknowledged upload " + a.sha256() + " but the path is gone");
          continue;
        }
        boolean superseded = sent.stream().anyMatch(b -> b.sha256().equals(currentSha)
            && !(b.outcome() == Outcome.ACKED && b.ended() < a.started()));
        if (!superseded) {
          problems.add(path + ": acknowledged " + a.sha256() + " replaced by " + currentSha
              + ", which no upload after it sent");
        }
        if (!inHistory(path, a)) {
          problems.add(path + ": acknowledged " + a.sha256() + " is neither current nor in history");
        }
      }
    }
    return problems;
  }

  private boolean inHistory(String path, Attempt a) throws Exception {
    HttpResponse<byte[]> res = send("/.cairn/api/v1/history?limit=1000&path=" + q(path));
    if (res.statusCode() != 200) {
      return false;
    }
    for (Object o : new JsonObject(new String(res.body(), StandardCharsets.UTF_8)).getJsonArray("versions")) {
      JsonObject v = (JsonObject) o;
      if (!"file".equals(v.getString("kind")) || v.getLong("size") != a.size()) {
        continue;
      }
      HttpResponse<byte[]> content = send("/.cairn/api/v1/content?path=" + q(path) + "&version=" + v.getLong("version"));
      if (content.statusCode() == 200 && ChunkHash.sha256(content.body()).hex().equals(a.sha256())) {
        return true;
      }
    }
    return false;
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return send(path);
  }

  private HttpResponse<byte[]> send(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url.apply(pathAndQuery))).timeout(Duration.ofSeconds(60))
        .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
