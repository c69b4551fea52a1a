package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.auth.Accounts;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.cairn.server.auth.RequestAuthenticator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords, app tokens (Basic and Bearer, expiry, revocation) and the brute-force throttle. */
class AuthenticationTest {
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("dave", "dave-password", false);
    s.server.accounts().addUser("erin", "erin-password", false);
    s.server.accounts().addUser("mallory", "mallory-password", false);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void adminCreatedOnFirstStartLogsIn() throws Exception {
    assertEquals(207, s.send(TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "PROPFIND", "/", null, "Depth", "0").statusCode());
    assertEquals(401, s.send(TestServer.basic("admin", "guess"), "PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  @Test
  void userNamesMatchExactlyNoCaseOrUnicodeVariants() throws Exception {
    assertEquals(207, s.send(TestServer.basic("erin", "erin-password"), "PROPFIND", "/", null, "Depth", "0").statusCode());
    for (String variant : new String[] {"Erin", "ERIN", "erin ", " erin", "\uff45rin", "e\u0301rin", "erin\u0000"}) {
      assertEquals(401, s.send(TestServer.basic(variant, "erin-password"), "PROPFIND", "/", null, "Depth", "0").statusCode(), variant);
    }
  }

  @Test
  void tokensWorkAsBasicPasswordAndBearerUntilRevoked() throws Exception {
    Accounts.IssuedToken t = s.server.accounts().createToken("dave", "laptop", Duration.ofHours(1));
    assertEquals(201, s.send(TestServer.basic("dave", t.secret()), "PUT", "/via-token.txt", "x".getBytes()).statusCode());
    HttpResponse<byte[]> bearer = s.send("Bearer " + t.secret(), "GET", "/via-token.txt", null);
    assertEquals(200, bearer.statusCode());
    assertEquals("x", new String(bearer.body(), StandardCharsets.UTF_8));
    // a token is bound to its owner: as someone else's Basic password it is refused
    assertEquals(401, s.send(TestServer.basic("erin", t.secret()), "GET", "/", null).statusCode());
    assertEquals(AppTokens.hash(t.secret()), s.server.accounts().listTokens("dave").getFirst().tokenHash());
    s.server.accounts().revokeToken("dave", t.token().id());
    assertEquals(401, s.send("Bearer " + t.secret(), "GET", "/via-token.txt", null).statusCode());
    assertEquals(401, s.send(TestServer.basic("dave", t.secret()), "GET", "/via-token.txt", null).statusCode());
  }

  @Test
  void revocationByAnotherProcessIsSeenWithinASecond() throws Exception {
    Accounts.IssuedToken t = s.server.accounts().createToken("dave", "other", Duration.ofHours(1));
    assertEquals(207, s.send("Bearer " + t.secret(), "PROPFIND", "/", null, "Depth", "0").statusCode());
    // straight to the store, as the CLI in another process does: no in-process notification
    s.server.accounts().store().revokeToken("dave", t.token().id()).toCompletionStage().toCompletableFuture().join();
    int status = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && (status = s.send("Bearer " + t.secret(), "PROPFIND", "/", null, "Depth", "0").statusCode()) != 401) {
      Thread.sleep(100);
    }
    assertEquals(401, status);
  }

  @Test
  void expiredTokensAreRefused() throws Exception {
    String secret = AppTokens.generate();
    long now = System.currentTimeMillis();
    s.server.accounts().store()
        .createToken(new AppToken(AppTokens.idOf(secret), "dave", "old", AppTokens.hash(secret), now - 7_200_000, now - 3_600_000))
        .toCompletionStage().toCompletableFuture().join();
    assertEquals(401, s.send("Bearer " + secret, "GET", "/", null).statusCode());
    assertEquals(401, s.send(TestServer.basic("dave", secret), "GET", "/", null).statusCode());
    assertEquals(401, s.send("Bearer cairn_notatoken", "GET", "/", null).statusCode());
  }

  @Test
  void passwordChangeEndsOldCredentialsAtOnce() throws Exception {
    s.server.accounts().addUser("frank", "frank-password-1", false);
    String old = TestServer.basic("frank", "frank-password-1");
    assertEquals(207, s.send(old, "PROPFIND", "/", null, "Depth", "0").statusCode());
    s.server.accounts().setPassword("frank", "frank-password-2");
    assertEquals(401, s.send(old, "PROPFIND", "/", null, "Depth", "0").statusCode());
    assertEquals(207, s.send(TestServer.basic("frank", "frank-password-2"), "PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  @Test
  void bruteForceGets429WhileOtherUsersStillLogIn() throws Exception {
    int status = 0;
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < 30 && status != 429; i++) {
      last = s.send(TestServer.basic("mallory", "guess-" + i), "GET", "/", null);
      status = last.statusCode();
      assertTrue(status == 401 || status == 429, "status " + status);
    }
    assertEquals(429, status);
    long retry = Long.parseLong(last.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retry > 0, "Retry-After " + retry);
    // locked out even with the right password while the lockout lasts
    assertEquals(429, s.send(TestServer.basic("mallory", "mallory-password"), "GET", "/", null).statusCode());
    // no proxy is trusted here: a forwarding header cannot make the same client a fresh address
    assertEquals(429, s.send(TestServer.basic("mallory", "mallory-password"), "GET", "/", null, "X-Forwarded-For", "203.0.113.77").statusCode());
    assertEquals(429, s.send(TestServer.basic("mallory", "mallory-password"), "GET", "/", null, "Forwarded", "for=203.0.113.77").statusCode());
    // another user from the same address logs in (a fresh login, not a cached one)
    assertEquals(207, s.send(TestServer.basic("erin", "erin-password"), "PROPFIND", "/", null, "Depth", "0").statusCode());
  }

  /**
   * Reports what authentication costs per request: a full Argon2id verification once, then the
   * cached path. Prints the figures; asserts only that every call was allowed.
   */
  @Test
  void cachedAuthenticationCost() {
    s.server.accounts().addUser("henry", "henry-password", false);
    String header = TestServer.basic("henry", "henry-password");
    RequestAuthenticator auth = s.server.authenticator();
    long t0 = System.nanoTime();
    assertTrue(auth.authenticate(header, "10.0.0.1").allowed());
    long first = System.nanoTime() - t0;
    int n = 20_000;
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      assertTrue(auth.authenticate(header, "10.0.0.1").allowed());
    }
    long perCall = (System.nanoTime() - t1) / n;
    System.out.printf("auth overhead: first login (Argon2id) %.2f ms, cached %.1f us per request over %d calls%n",
        first / 1e6, perCall / 1e3, n);
  }
}
