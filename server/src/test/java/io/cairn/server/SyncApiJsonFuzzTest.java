package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the sync API's JSON (docs/api.md) through one running server: a route of the documented
 * list, a method, a query and a body, sent as the admin. Whatever comes in, the answer is a
 * documented status (2xx, 400, 403, 404, 405, 409, 410, 412, 413, 415, 423, 507), never a 500; an
 * error's body is {@code {"error": CODE, "message": TEXT}}; no body holds a Java stack trace.
 *
 * <p>The input is text: a first line {@code ROUTE METHOD QUERY} (an unknown route or method picks
 * one of the list by its hash; the query's keys and values are percent-encoded here, and {@code
 * wait} is always 0 so that no call waits), then the body: the bytes as they are, or, after a
 * leading {@code #}, JSON built from the bytes ({@link #json}): the routes' field names with values
 * of every type, odd paths ({@code ..}, NUL, 5,000 characters), huge numbers and deep nesting.
 * A body goes with {@code Expect: 100-continue}, as a client that wants every refusal's answer
 * sends it (seed {@code body-to-refusing-route}); LingeringCloseTest covers the clients that do not.
 * {@code GET events} is left out: it is a stream that does not end.
 *
 * <p>A plain test run replays the seeds in {@code
 * src/test/resources/io/cairn/server/SyncApiJsonFuzzTestInputs/}; {@code bin/fuzz
 * SyncApiJsonFuzzTest} fuzzes for the {@code maxDuration} below.
 */
class SyncApiJsonFuzzTest {
  private static final Set<Integer> DOCUMENTED_ERRORS = Set.of(400, 403, 404, 405, 409, 410, 412, 413, 415, 423, 507);
  private static final List<String> ROUTES = List.of("server", "openapi.json", "cursor", "changes", "chunks/missing",
      "chunks/" + "0".repeat(64), "commit", "history", "content", "zip", "restore", "entry", "list", "mkdir", "delete",
      "move", "trash", "trash/restore", "trash/empty", "shares", "shares/1");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
  private static final List<String> FIELDS = List.of("path", "blocklist", "size", "mtime", "base", "on_conflict",
      "version", "from", "to", "overwrite", "hashes", "hash", "mode", "expires_at", "password", "extra");
  private static final List<Object> ODD_VALUES = List.of("/", "/notes.txt", "/../etc/passwd", "/a/./b", "//", "",
      "relative", "/a\u0000b", "/" + "a".repeat(5000), "/\u202Eevil", "/a/..", "keep-both", "overwrite", "fail",
      "read", "upload", 0, -1, Long.MAX_VALUE, Long.MIN_VALUE, new java.math.BigInteger("9".repeat(40)), 1.5e300,
      true, false);
  /** A stack frame as Java prints it, or an exception's class name. */
  private static final Pattern STACK_TRACE = Pattern.compile("\\bat [a-z][\\w.$]*\\(|[a-z]+\\.[\\w.]*(Exception|Error)\\b");
  private static final String CHUNK = "hello chunk\n";
  private static final int MAX_DEPTH = 2000;
  private static final String API = io.cairn.server.api.SyncApi.PREFIX;

  @TempDir static Path dir;
  private static TestServer server;
  private static String admin;
  private static String chunkHash;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, Map.of("gc.interval.hours", "0"), HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
    admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
    byte[] chunk = CHUNK.getBytes(StandardCharsets.UTF_8);
    chunkHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk));
    // A chunk a seed's commit can name, and a file a seed can restore, list or move.
    assertEquals(201, server.send(admin, "PUT", API + "chunks/" + chunkHash, chunk).statusCode());
    JsonObject commit = new JsonObject().put("path", "/notes.txt").put("size", chunk.length).put("base", (Object) null)
        .put("blocklist", new JsonArray().add(new JsonObject().put("hash", chunkHash).put("size", chunk.length)));
    assertEquals(200, server.send(admin, "POST", API + "commit", commit.toBuffer().getBytes()).statusCode());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @FuzzTest(maxDuration = "60s")
  void everyAnswerIsDocumented(byte[] input) throws Exception {
    int newline = indexOf(input, (byte) '\n');
    String head = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
    byte[] rest = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
    String[] words = head.split(" ", 3);
    String route = pick(ROUTES, words[0]);
    String method = pick(METHODS, words.length > 1 ? words[1] : "");
    String query = query(words.length > 2 ? words[2] : "");
    byte[] body = rest.length > 0 && rest[0] == '#'
        ? json(Arrays.copyOfRange(rest, 1, rest.length)).getBytes(StandardCharsets.UTF_8)
        : rest;
    String target = API + route + query;
    // As a sync client should: a body the route refuses unread is never sent, and its answer is
    // not lost to the connection closing under it (docs/architecture.md, "Writing a file").
    HttpResponse<byte[]> r = server.client.send(HttpRequest.newBuilder(URI.create(server.url(target)))
        .timeout(Duration.ofSeconds(60)).expectContinue(body.length > 0)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", admin).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    int status = r.statusCode();
    String text = new String(r.body(), StandardCharsets.UTF_8);
    String what = method + " " + target + " " + new String(body, StandardCharsets.UTF_8) + " -> " + status + " " + text;
    assertFalse(STACK_TRACE.matcher(text).find(), "a stack trace in the answer: " + what);
    if (status >= 200 && status < 300) {
      return;
    }
    assertTrue(DOCUMENTED_ERRORS.contains(status), "an undocumented status: " + what);
    JsonObject error = assertInstanceOf(JsonObject.class, new JsonObject(text), what);
    assertInstanceOf(String.class, error.getValue("error"), what);
    assertInstanceOf(String.class, error.getValue("message"), what);
  }

  /** {@code name} when the list holds it, else the item its hash picks. */
  private static String pick(List<String> list, String name) {
    return list.contains(name) ? name : list.get(Math.floorMod(name.hashCode(), list.size()));
  }

  /** {@code k=v&...} with every key and value percent-encoded, and {@code wait=0} in place of any wait. */
  private static String query(String raw) {
    StringBuilder q = new StringBuilder("?wait=0");
    for (String pair : raw.split("&", 20)) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("wait")) {
        continue;
      }
      q.append('&').append(URLEncoder.encode(kv[0], StandardCharsets.UTF_8));
      if (kv.length > 1) {
        q.append('=').append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }

  /**
   * JSON text built from {@code bytes}: an object whose fields are of {@link #FIELDS}, each byte
   * pair naming a field and the kind of its value; a deep nesting when a byte asks for one.
   */
  private static String json(byte[] bytes) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i + 1 < bytes.length && i < 200; i += 2) {
      int field = bytes[i] & 0xff;
      int kind = bytes[i + 1] & 0xff;
      if (out.length() > 1) {
        out.append(',');
      }
      String name = new JsonArray().add(FIELDS.get(field % FIELDS.size())).encode();
      out.append(name, 1, name.length() - 1).append(':').append(value(kind, bytes, i + 2));
    }
    return out.append('}').toString();
  }

  /** A value of kind {@code kind}; {@code bytes} from {@code from} give a nested one its size. */
  private static String value(int kind, byte[] bytes, int from) {
    int seed = from < bytes.length ? bytes[from] & 0xff : 0;
    return switch (kind % 8) {
      case 0, 1 -> new JsonArray().add(ODD_VALUES.get(seed % ODD_VALUES.size())).encode().replaceAll("^\\[|\\]$", "");
      case 2 -> "null";
      case 3 -> new JsonArray().add(new JsonObject().put("hash", chunkHash).put("size", seed)).encode();
      case 4 -> new JsonArray().add(seed % 2 == 0 ? chunkHash : "/" + seed).add(seed).encode();
      case 5 -> "[".repeat(seed * MAX_DEPTH / 255) + "]".repeat(seed * MAX_DEPTH / 255);
      case 6 -> "{\"a\":".repeat(seed * MAX_DEPTH / 255) + "1" + "}".repeat(seed * MAX_DEPTH / 255);
      default -> "1" + "0".repeat(seed * 4) + (seed % 2 == 0 ? "" : "e" + seed * 10);
    };
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
