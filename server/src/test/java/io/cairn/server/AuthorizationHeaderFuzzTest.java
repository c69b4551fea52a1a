package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.server.auth.RequestAuthenticator.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the one parser every request reaches before it has an account: the {@code Authorization}
 * header, as the server's authenticator reads it (Basic, Bearer, anything else). Whatever the
 * value, the answer is a verdict, never an exception: 200 only for the admin's own credentials,
 * else 401, 429 once the failures from the address pile up, or 503. The value is the input as
 * ISO-8859-1 without CR and LF, as the HTTP decoder hands a header over.
 *
 * <p>A plain test run replays the seeds in {@code
 * src/test/resources/io/cairn/server/AuthorizationHeaderFuzzTestInputs/}; {@code bin/fuzz
 * AuthorizationHeaderFuzzTest} fuzzes for the {@code maxDuration} below.
 */
class AuthorizationHeaderFuzzTest {
  private static final Set<Integer> REFUSALS = Set.of(401, 429, 503);
  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dir, Map.of("gc.interval.hours", "0"), java.net.http.HttpClient.newHttpClient());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @FuzzTest(maxDuration = "30s")
  void anyAuthorizationValueGetsAVerdict(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "");
    Verdict v = server.server.authenticator().authenticate(value, "192.0.2.1");
    if (v.allowed()) {
      assertEquals(200, v.status());
      assertEquals("admin", v.user().name());
      String[] words = value.trim().split("[\\x00-\\x20]+"); // as the server reads it: trim() and any control byte or space between
      assertEquals("admin:" + TestServer.ADMIN_PASSWORD,
          new String(Base64.getDecoder().decode(words[words.length - 1]), StandardCharsets.UTF_8),
          "only the admin's own password lets anyone in: " + value);
    } else {
      assertTrue(REFUSALS.contains(v.status()), v.status() + " for " + value);
    }
  }
}
