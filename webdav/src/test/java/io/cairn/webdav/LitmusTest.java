package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lock.LocalLockManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * litmus, the WebDAV compliance suite, against the whole front door on real storage (SQLite
 * journal, file chunk store) with class 2 installed: basic, copymove, props, locks and http must
 * all pass without a warning. litmus must be installed; a missing suite fails the run.
 */
class LitmusTest {
  private static final Path LITMUS = Path.of("/usr/bin/litmus");

  @Test
  void everySuitePassesWithoutWarnings(@TempDir Path dir) throws Exception {
    assertTrue(Files.isExecutable(LITMUS), "litmus is not installed at " + LITMUS);
    Path data = Files.createDirectories(dir.resolve("data"));
    Clock clock = Clock.systemUTC();
    try (TestDav dav = TestDav.start(data, b -> b.locks(new LocalLockManager(clock), clock))) {
      assertEquals(201, dav.status("MKCOL", "/litmus"));
      ProcessBuilder pb = new ProcessBuilder(LITMUS.toString(), dav.base + "/litmus/");
      pb.environment().put("TESTS", "basic copymove props locks http");
      pb.directory(dir.toFile());
      pb.redirectErrorStream(true);
      Path log = dir.resolve("litmus.out");
      pb.redirectOutput(log.toFile());
      Process litmus = pb.start();
      if (!litmus.waitFor(300, TimeUnit.SECONDS)) {
        litmus.destroyForcibly();
        throw new AssertionError("litmus did not finish within 300 s");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Matcher summary =
          Pattern.compile("summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")
              .matcher(out);
      int suites = 0;
      while (summary.find()) {
        suites++;
        System.out.println("litmus " + summary.group());
        assertEquals("0", summary.group(4), summary.group(1) + ":\n" + out);
      }
      assertEquals(5, suites, out);
      assertTrue(!out.contains("WARNING"), out);
      assertEquals(0, litmus.exitValue(), out);
    }
  }
}
