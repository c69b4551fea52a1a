package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users, alice and bob: bob tries every trick to read, list, write, lock, copy into or move out
 * of alice's home; each attempt must fail (403, 404, 400, 409, 412 or 502: never 2xx on alice's
 * data) and alice's namespace must be exactly as before, row for row.
 */
class IsolationTest {
  @TempDir static Path dir;
  static TestServer s;
  static String alice;
  static String bob;
  static String aliceLock;

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
    alice = TestServer.basic("alice", "alice-password");
    bob = TestServer.basic("bob", "bob-password");
    assertEquals(201, s.send(alice, "PUT", "/secret.txt", bytes("alice's secret")).statusCode());
    assertEquals(201, s.send(alice, "MKCOL", "/dir", null).statusCode());
    assertEquals(201, s.send(alice, "PUT", "/dir/a.txt", bytes("alice a")).statusCode());
    HttpResponse<byte[]> lock =
        s.send(alice, "LOCK", "/dir/locked.txt", bytes(LOCK_BODY), "Content-Type", "application/xml", "Timeout", "Second-600");
    assertEquals(201, lock.statusCode(), new String(lock.body(), StandardCharsets.UTF_8));
    aliceLock = lock.headers().firstValue("Lock-Token").orElseThrow();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static final String LOCK_BODY =
      "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
          + "<D:locktype><D:write/></D:locktype><D:owner>alice</D:owner></D:lockinfo>";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Alice's namespace as rows: nothing bob does may change a single one. */
  static String aliceState() {
    var j = s.server.journal();
    StringBuilder b = new StringBuilder();
    List<JournalRow> rows = j.changes("home:alice", 0, 1000).toCompletionStage().toCompletableFuture().join();
    for (JournalRow r : rows) {
      b.append(r).append('\n');
    }
    List<Entry> children = j.children("home:alice", TreePaths.ROOT, null, 100).toCompletionStage().toCompletableFuture().join();
    b.append(children);
    b.append(j.children("home:alice", "/dir", null, 100).toCompletionStage().toCompletableFuture().join());
    b.append(j.properties("home:alice", "/secret.txt").toCompletionStage().toCompletableFuture().join());
    return b.toString();
  }

  @Test
  void bobCannotReachAlicesHome() throws Exception {
    String before = aliceState();
    int port = s.port();
    List<String> failures = new ArrayList<>();
    // Each attack: method, raw request target, extra headers, and whether a 2xx is acceptable
    // because it can only have touched bob's own home (checked by the state comparison at the end).
    String[][] attacks = {
      {"GET", "/secret.txt", ""},
      {"GET", "/dir/a.txt", ""},
      {"GET", "/../home:alice/secret.txt", ""},
      {"GET", "/%2e%2e/home:alice/secret.txt", ""},
      {"GET", "/%2E%2E%2Fhome:alice%2Fsecret.txt", ""},
      {"GET", "/home:alice/secret.txt", ""},
      {"GET", "/home%3Aalice/secret.txt", ""},
      {"GET", "//home:alice//secret.txt", ""},
      {"GET", "/ALICE/secret.txt", ""},
      {"GET", "/alice/secret.txt", ""},
      {"GET", "/%EF%BC%A1lice/secret.txt", ""}, // fullwidth A
      {"GET", "/a%CC%8Alice/secret.txt", ""}, // combining ring: NFD variant
      {"GET", "/%00/secret.txt", ""},
      {"GET", "/%C0%AE%C0%AE/secret.txt", ""}, // overlong UTF-8 dots
      {"GET", "/..%5csecret.txt", ""},
      {"GET", "http://alice@127.0.0.1:" + port + "/secret.txt", ""},
      {"PROPFIND", "/", "Depth: 1"},
      {"PROPFIND", "/dir/", "Depth: infinity"},
      {"PROPFIND", "/home:alice/", "Depth: 1"},
      {"DELETE", "/secret.txt", ""},
      {"DELETE", "/dir", ""},
      {"PROPPATCH", "/secret.txt", ""},
      {"MOVE", "/secret.txt", "Destination: /stolen.txt"},
      {"COPY", "/dir", "Destination: /stolen/"},
      {"MKCOL", "/bobdir", ""},
      {"PUT", "/bob.txt", ""},
      {"COPY", "/bob.txt", "Destination: /../home:alice/secret.txt\r\nOverwrite: T"},
      {"COPY", "/bob.txt", "Destination: /%2e%2e/home:alice/secret.txt"},
      {"COPY", "/bob.txt", "Destination: http://alice:alice-password@127.0.0.1:" + port + "/secret.txt\r\nOverwrite: T"},
      {"MOVE", "/bob.txt", "Destination: http://127.0.0.1:" + port + "/home:alice/secret.txt"},
      {"COPY", "/bob.txt", "Destination: http://localhost:" + port + "/secret.txt"},
      {"MOVE", "/bobdir", "Destination: /../../dir"},
      {"LOCK", "/secret.txt", "Timeout: Second-60"},
      {"LOCK", "/dir/locked.txt", "Timeout: Second-60"},
      {"UNLOCK", "/dir/locked.txt", "Lock-Token: " + aliceLock},
      {"PUT", "/dir/locked.txt", "If: (" + aliceLock + ")"},
      {"PUT", "/bob2.txt", "If: </dir/locked.txt> (" + aliceLock + ")"},
      {"DELETE", "/dir/locked.txt", "If: <http://127.0.0.1:" + port + "/home:alice/dir/locked.txt> (" + aliceLock + ")"},
    };
    for (String[] a : attacks) {
      byte[] body = switch (a[0]) {
        case "LOCK" -> bytes(LOCK_BODY);
        case "PUT" -> bytes("bob was here");
        case "PROPPATCH" -> bytes("<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:x\">bob</x></D:prop></D:set></D:propertyupdate>");
        default -> null;
      };
      TestServer.Raw r = s.raw(a[1], a[0], bob, a[2], body);
      if (a[0].equals("GET") && r.status() == 200 && r.body().contains("alice")) {
        failures.add(a[0] + " " + a[1] + " read alice's data: " + r.body());
      }
      if (a[0].equals("PROPFIND") && (r.body().contains("secret.txt") || r.body().contains("a.txt"))) {
        failures.add(a[0] + " " + a[1] + " listed alice's files");
      }
    }
    // the same with alice's credentials mixed into bob's request
    TestServer.Raw wrongUser = s.raw("/secret.txt", "GET", TestServer.basic("alice", "bob-password"), "", null);
    assertEquals(401, wrongUser.status());
    TestServer.Raw twoHeaders = s.raw("/secret.txt", "GET", bob, "Authorization: " + alice, null);
    assertFalse(twoHeaders.status() == 200 && twoHeaders.body().contains("alice's"), "two Authorization headers");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(before, aliceState(), "alice's namespace changed");
    // alice still sees her own files and her lock still holds against lockless writers
    assertEquals("alice's secret", new String(s.send(alice, "GET", "/secret.txt", null).body(), StandardCharsets.UTF_8));
    assertEquals(423, s.send(alice, "PUT", "/dir/locked.txt", bytes("x")).statusCode());
  }

  @Test
  void eachUserSeesOnlyTheirHomeAtTheRoot() throws Exception {
    s.server.accounts().addUser("carol", "carol-password", false);
    HttpResponse<byte[]> list = s.send(TestServer.basic("carol", "carol-password"), "PROPFIND", "/", null, "Depth", "1");
    assertEquals(207, list.statusCode());
    String xml = new String(list.body(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<D:href>([^<]*)</D:href>").matcher(xml);
    List<String> hrefs = new ArrayList<>();
    while (m.find()) {
      hrefs.add(m.group(1).replaceFirst("^https?://[^/]*", ""));
    }
    // Her empty home, and the read-only views of it (versions and trash), nothing of anyone else.
    assertEquals(List.of("/", "/.cairn/"), hrefs, xml);
  }

  @Test
  void requestsWithoutCredentialsAreChallengedExceptOptions() throws Exception {
    HttpResponse<byte[]> r = s.send(null, "GET", "/secret.txt", null);
    assertEquals(401, r.statusCode());
    assertEquals("Basic realm=\"Cairn\", charset=\"UTF-8\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, s.send(null, "PROPFIND", "/", null, "Depth", "1").statusCode());
    assertEquals(401, s.send("Basic !!!", "GET", "/", null).statusCode());
    assertEquals(401, s.send("Digest username=\"alice\"", "GET", "/", null).statusCode());
    HttpResponse<byte[]> options = s.send(null, "OPTIONS", "/", null);
    assertEquals(200, options.statusCode());
    assertTrue(options.headers().firstValue("DAV").orElse("").contains("1"));
  }
}
