package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle through real sockets, behind a trusted reverse proxy (the test client on
 * 127.0.0.1 plays the proxy and names each client in {@code X-Forwarded-For}): a guessed password
 * locks out that user from that address only, and the failures and refusals are counted.
 */
class LoginThrottlingTest {
  private static final String HOST_A = "203.0.113.1";
  private static final String HOST_B = "203.0.113.2";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir.resolve("data"), Map.of("http.trusted.proxies", "127.0.0.1, ::1"), CLIENT);
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static int propfind(String user, String password, String from) throws Exception {
    return s.send(TestServer.basic(user, password), "PROPFIND", "/", null, "Depth", "0", "X-Forwarded-For", "198.51.100.99, " + from)
        .statusCode();
  }

  @Test
  void guessingAlicesPasswordLocksOutAliceFromThatAddressOnly() throws Exception {
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < 10; i++) {
      last = s.send(TestServer.basic("alice", "guess-" + i), "PROPFIND", "/", null, "Depth", "0", "X-Forwarded-For", HOST_A);
      assertEquals(401, last.statusCode(), "guess " + i);
    }
    HttpResponse<byte[]> locked =
        s.send(TestServer.basic("alice", "alice-password"), "PROPFIND", "/", null, "Depth", "0", "X-Forwarded-For", HOST_A);
    assertEquals(429, locked.statusCode(), "alice from A: refused even with the right password");
    assertTrue(Long.parseLong(locked.headers().firstValue("Retry-After").orElse("0")) > 0);
    // the forged left-most entry (198.51.100.99) is ignored: the proxy's right-most one counts
    assertEquals(429, propfind("alice", "alice-password", HOST_A));
    assertEquals(207, propfind("bob", "bob-password", HOST_A), "bob from A, a fresh login");
    assertEquals(207, propfind("alice", "alice-password", HOST_B), "alice from B");
    // the admin API resolves the client the same way
    assertEquals(429, admin("alice", "alice-password", HOST_A));
    assertEquals(200, admin("alice", "alice-password", HOST_B));

    String metrics = scrape();
    assertTrue(counter(metrics, "cairn_auth_failures_total{kind=\"password\"}") >= 10, metrics);
    assertTrue(counter(metrics, "cairn_auth_throttled_total{action=\"refused\"}") >= 3, metrics);
    assertTrue(counter(metrics, "cairn_auth_throttled_total{action=\"delayed\"}") >= 1, metrics);
    assertEquals(1, counter(metrics, "cairn_auth_throttled_addresses{action=\"refused\"}"), "A, where alice is locked out");
    assertEquals(1, counter(metrics, "cairn_auth_throttled_addresses{action=\"delayed\"}"), "A again: B never failed");
  }

  private static int admin(String user, String password, String from) throws Exception {
    return s.send(TestServer.basic(user, password), "GET", "/.cairn/admin/users/" + user + "/tokens", null, "X-Forwarded-For", from)
        .statusCode();
  }

  private static String scrape() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server.managementPort() + "/metrics"))
            .timeout(Duration.ofSeconds(60))
            .build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of one series in a Prometheus scrape, or -1 when absent. */
  private static double counter(String scrape, String series) {
    return scrape.lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElse(-1);
  }
}
