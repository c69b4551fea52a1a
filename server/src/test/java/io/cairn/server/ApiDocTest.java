package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.cluster.feed.ChangeFeed;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.server.api.SyncApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api.md is what the server does: every example request in it is sent, in order, to a fresh
 * server, and the answer must have the example's status and the example's JSON (values compared
 * exactly but for cursors and times, which are compared by type; an example object with a field
 * named {@code ...} may have more fields). And openapi.json describes
 * exactly the routes the server has.
 */
class ApiDocTest {
  static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/api.md");
  /** Values that differ from run to run: compared by type only. */
  static final Set<String> BY_TYPE = Set.of("cursor", "mtime", "at", "deleted_at", "id", "created_at", "url");
  static final Pattern HTTP_BLOCK = Pattern.compile("```http\\n(.*?)```", Pattern.DOTALL);
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");

  record Message(String start, Map<String, String> headers, String body) {}

  static Message message(String block) {
    String[] parts = block.split("\\n\\n", 2);
    String[] lines = parts[0].split("\\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
    }
    return new Message(lines[0], headers, parts.length > 1 ? parts[1] : null);
  }

  @Test
  void everyExampleInTheDocIsWhatTheServerAnswers(@TempDir Path dir) throws Exception {
    List<Message> blocks = new ArrayList<>();
    Matcher m = HTTP_BLOCK.matcher(Files.readString(DOC));
    while (m.find()) {
      blocks.add(message(m.group(1)));
    }
    assertTrue(blocks.size() >= 20 && blocks.size() % 2 == 0, "requests, each with its answer: " + blocks.size());
    Map<String, Object> seen = new HashMap<>();
    try (TestServer s = TestServer.start(dir)) {
      String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
      for (int i = 0; i < blocks.size(); i += 2) {
        Message request = blocks.get(i);
        Message expected = blocks.get(i + 1);
        String[] start = request.start().split(" ", 2);
        String target = fill(start[1], seen);
        String what = request.start();
        int status = Integer.parseInt(expected.start().split(" ")[1]);
        if ("text/event-stream".equals(mediaType(expected))) {
          assertEquals(200, status, what);
          checkFirstEvent(s, admin, target, expected, what);
          continue;
        }
        byte[] body = request.body() == null ? null : fill(request.body(), seen).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = s.send(admin, start[0], target, body, "Content-Type", request.headers().getOrDefault("Content-Type", "text/plain"));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), what + " → " + text);
        if ("application/json".equals(mediaType(expected))) {
          JsonObject actual = new JsonObject(text);
          compare(new JsonObject(expected.body()), actual, what);
          remember(actual, seen);
        } else if (expected.body() != null) {
          assertEquals(expected.body(), text, what);
        }
      }
    }
  }

  private static void checkFirstEvent(TestServer s, String admin, String target, Message expected, String what) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.url(target))).header("Authorization", admin).timeout(Duration.ofSeconds(20)).GET().build();
    HttpResponse<InputStream> r = s.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode(), what);
    String wanted = expected.body().lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("data: ")) {
          compare(new JsonObject(wanted.substring(6)), new JsonObject(line.substring(6)), what);
          return;
        }
      }
    }
    fail(what + ": the stream ended without an event");
  }

  private static String mediaType(Message m) {
    String type = m.headers().get("Content-Type");
    return type == null ? null : type.split(";")[0].trim();
  }

  private static String fill(String text, Map<String, Object> seen) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = seen.get(m.group(1));
      assertNotNull(value, "no earlier answer had " + m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(java.net.URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Top-level values of an answer, for the placeholders of later requests; the first cursor stays. */
  private static void remember(JsonObject answer, Map<String, Object> seen) {
    answer.forEach(e -> {
      if (!e.getKey().equals("cursor") || !seen.containsKey("cursor")) {
        seen.put(e.getKey(), e.getValue());
      }
    });
  }

  static void compare(Object expected, Object actual, String where) {
    if (expected instanceof JsonObject e) {
      assertTrue(actual instanceof JsonObject, where + ": an object, not " + actual);
      JsonObject a = (JsonObject) actual;
      Set<String> fields = new TreeSet<>(e.fieldNames());
      if (!fields.remove("...")) {
        assertEquals(fields, new TreeSet<>(a.fieldNames()), where + ": the fields");
      }
      for (String key : fields) {
        Object ev = e.getValue(key);
        Object av = a.getValue(key);
        if (BY_TYPE.contains(key)) {
          assertEquals(ev == null ? null : ev.getClass(), av == null ? null : av.getClass(), where + "." + key + " type");
        } else if (key.equals("path") && ev instanceof String p && p.contains("conflicted copy")) {
          assertTrue(((String) av).matches(p.replaceAll("\\d", "\\\\d").replace("(", "\\(").replace(")", "\\)").replace(".", "\\.")), where + ".path " + av);
        } else {
          compare(ev, av, where + "." + key);
        }
      }
    } else if (expected instanceof JsonArray e) {
      assertTrue(actual instanceof JsonArray, where + ": an array, not " + actual);
      JsonArray a = (JsonArray) actual;
      assertEquals(e.size(), a.size(), where + ": the length");
      for (int i = 0; i < e.size(); i++) {
        compare(e.getValue(i), a.getValue(i), where + "[" + i + "]");
      }
    } else if (expected instanceof Number n) {
      assertTrue(actual instanceof Number, where);
      assertEquals(n.longValue(), ((Number) actual).longValue(), where);
    } else {
      assertEquals(expected, actual, where);
    }
  }

  @Test
  void theOpenApiFileDescribesExactlyTheRoutesTheServerHas() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> routes = SyncApi.routes(vertx, null, new ChangeFeed(vertx), null, Clock.systemUTC(), ChunkerParams.DEFAULT, null).routes();
      JsonObject openapi;
      try (InputStream in = SyncApi.class.getResourceAsStream("/io/cairn/server/api/openapi.json")) {
        openapi = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      Set<String> described = new TreeSet<>();
      JsonObject paths = openapi.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          described.add(method.toUpperCase() + " " + path.substring(1).replaceAll("\\{([a-z_]+)\\}", ":$1"));
        }
      }
      assertEquals(new TreeSet<>(routes), described);
      assertFalse(routes.isEmpty());
      String doc = Files.readString(DOC);
      for (String route : routes) {
        String path = route.split(" ")[1].replaceAll(":[a-z_]+", "");
        assertTrue(doc.contains("/.cairn/api/v1/" + path), "docs/api.md shows " + route);
      }
    } finally {
      vertx.close();
    }
  }
}
