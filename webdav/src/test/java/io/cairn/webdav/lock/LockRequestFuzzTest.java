package io.cairn.webdav.lock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * Fuzz targets for what a LOCK, and every request naming a lock, sends: the lockinfo body, the
 * {@code If} header (RFC 4918 §10.4) and the {@code Timeout} header. The body parser answers a
 * lock or refuses with {@link LockInfoBody.Invalid} (400); the If parser a header that evaluates
 * without failing, or {@link IfHeader.Malformed} (400); the timeout is always one the server grants
 * (1 s to the cap). Any other exception fails. Header values are the input read as ISO-8859-1, one
 * character per byte, as the HTTP decoder hands them over (CR and LF removed: the edge refuses
 * them in a header).
 *
 * <p>A plain test run replays the seeds in {@code
 * src/test/resources/io/cairn/webdav/lock/LockRequestFuzzTestInputs/<target>/}; {@code bin/fuzz}
 * fuzzes each target for its {@code maxDuration}.
 */
class LockRequestFuzzTest {
  private static final Duration CAP = Duration.ofHours(1);

  @FuzzTest(maxDuration = "30s")
  void lockinfoParsesOrRefusesWith400(byte[] body) {
    if (body.length == 0) {
      return; // an empty body is a refresh, never parsed
    }
    LockInfoBody info;
    try {
      info = LockInfoBody.parse(body);
    } catch (LockInfoBody.Invalid e) {
      return;
    }
    assertNotNull(info.scope());
  }

  @FuzzTest(maxDuration = "30s")
  void ifHeaderParsesAndEvaluatesOrRefusesWith400(byte[] input) {
    String value = header(input);
    IfHeader header;
    try {
      header = IfHeader.parse(value);
    } catch (IfHeader.Malformed e) {
      return;
    }
    if (header == null) {
      assertTrue(value.isBlank(), "only a blank header means none");
      return;
    }
    assertFalse(header.productions().isEmpty(), "a parsed header holds a condition");
    Set<String> tokens = header.stateTokens();
    assertNotNull(tokens);
    // Evaluated against an unmapped resource, and against one holding every token it names with
    // the same etag: neither may throw.
    header.evaluate(tag -> IfHeader.ResourceState.NONE);
    header.evaluate(tag -> new IfHeader.ResourceState("\"e\"", tokens));
  }

  @FuzzTest(maxDuration = "30s")
  void timeoutIsAlwaysOneTheServerGrants(byte[] input) {
    Duration granted = TimeoutHeader.granted(header(input), CAP);
    assertTrue(granted.compareTo(Duration.ofSeconds(1)) >= 0 && granted.compareTo(CAP) <= 0, granted.toString());
  }

  private static String header(byte[] input) {
    return new String(input, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "");
  }
}
