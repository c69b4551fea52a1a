package io.cairn.webdav.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.core.TreePaths;
import io.cairn.webdav.DavException;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.PathCodec;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the request headers a WebDAV method reads beside its path: {@code Range} (GET),
 * {@code Destination} and {@code Overwrite} (COPY, MOVE). A range is either ignored (the whole
 * content), unsatisfiable (416), or inside the content; a Destination is a path of this server that
 * storage may see, another server's (502), or refused with 400 or 414; Overwrite is T, F or a 400.
 * Any other exception fails. Header values are the input as ISO-8859-1 without CR and LF, as the
 * HTTP decoder hands them over.
 *
 * <p>A plain test run replays the seeds in {@code
 * src/test/resources/io/cairn/webdav/method/RequestHeadersFuzzTestInputs/<target>/}; {@code
 * bin/fuzz} fuzzes each target for its {@code maxDuration}.
 */
class RequestHeadersFuzzTest {
  private static final long[] SIZES = {0, 1, 4096, 1L << 40};

  @FuzzTest(maxDuration = "30s")
  void rangeIsIgnoredUnsatisfiableOrInsideTheContent(byte[] input) {
    String value = header(input);
    for (long size : SIZES) {
      long[] range = GetHandler.range(value, size);
      if (range == null || range.length == 0) {
        continue; // the whole content, or 416
      }
      assertEquals(2, range.length);
      assertTrue(0 <= range[0] && range[0] <= range[1] && range[1] < size,
          () -> value + " of " + size + " gave " + range[0] + "-" + range[1]);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void destinationIsALocalPathAnotherServerOrRefused(byte[] input) {
    String value = header(input);
    String raw;
    try {
      raw = LocalUrls.rawPath(value, "127.0.0.1:8080");
    } catch (DavException e) {
      assertEquals(400, e.status(), e.getMessage());
      return;
    }
    if (raw == null) {
      return; // another server: 502
    }
    try {
      assertTrue(TreePaths.isValid(PathCodec.decode(raw)), raw);
    } catch (DavException e) {
      assertTrue(e.status() == 400 || e.status() == 414, () -> e.status() + " " + e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "10s")
  void overwriteIsTrueFalseOrRefused(byte[] input) {
    String value = header(input);
    try {
      boolean overwrite = CopyMoveHandler.overwrite(value);
      assertEquals(overwrite ? "T" : "F", value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (DavException e) {
      assertEquals(400, e.status());
    }
  }

  private static String header(byte[] input) {
    return new String(input, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "");
  }
}
