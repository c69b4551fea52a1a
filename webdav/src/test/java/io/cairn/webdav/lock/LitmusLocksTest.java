package io.cairn.webdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * litmus's {@code locks} suite (the WebDAV compliance tests of neon's author) against the lock
 * support, installed on a real milton HttpManager over the test-only memory tree, behind the JDK's
 * HTTP server on 127.0.0.1. Every test must pass without a warning. litmus must be installed: a
 * missing external suite fails the run rather than being skipped.
 */
class LitmusLocksTest {
  private static final Path LITMUS = Path.of("/usr/bin/litmus");

  @Test
  void locksSuitePassesWithoutWarnings(@TempDir Path workDir) throws Exception {
    assertTrue(Files.isExecutable(LITMUS), "litmus is not installed at " + LITMUS);
    LockingServer server = new LockingServer(Clock.systemUTC(), Duration.ofHours(1));
    try (JdkHttpFront front = new JdkHttpFront(server.manager)) {
      ProcessBuilder pb = new ProcessBuilder(LITMUS.toString(), front.url());
      pb.environment().put("TESTS", "locks");
      pb.directory(workDir.toFile()); // litmus writes its debug.log into the working directory
      pb.redirectErrorStream(true);
      Path log = workDir.resolve("litmus.out");
      pb.redirectOutput(log.toFile());
      Process litmus = pb.start();
      if (!litmus.waitFor(120, TimeUnit.SECONDS)) {
        litmus.destroyForcibly();
        throw new AssertionError("litmus did not finish within 120 s");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Matcher summary =
          Pattern.compile("summary for `locks': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")
              .matcher(out);
      assertTrue(summary.find(), out);
      assertEquals("0", summary.group(3), out);
      assertEquals(summary.group(1), summary.group(2), out);
      assertFalse(out.contains("WARNING"), out);
      assertEquals(0, litmus.exitValue(), out);
    }
  }
}
