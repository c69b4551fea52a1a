package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.core.TreePaths;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Fuzzes {@link PathCodec#decode} with arbitrary request paths: it either returns a path that
 * storage may see (valid, NFC, no control character, no dot segment, so nothing escapes the
 * namespace root) or refuses with its own 400/414 {@link DavException}; any other exception fails.
 *
 * <p>The input bytes are the request path as Netty hands it over: one ISO-8859-1 character per
 * byte of the request line, so raw UTF-8, raw control bytes and percent-escapes all reach the
 * decoder. The seed corpus lives in {@code
 * src/test/resources/io/cairn/webdav/PathCodecFuzzTestInputs/decodeEitherNormalizesOrRefuses/}, one
 * input per file (Jazzer's layout); add a file there for every bug the fuzzer finds.
 *
 * <p>A normal {@code mvn verify} runs Jazzer in regression mode: each corpus file once, as an
 * ordinary test. A fuzzing run, bounded by {@code maxDuration} below, is started with
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -ntp -pl webdav -am verify -Dtest=PathCodecFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Jazzer keeps the inputs it generates in {@code .cifuzz-corpus/} (not committed) and writes a
 * crashing input beside the seeds, where it then stays as a regression test.
 */
class PathCodecFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void decodeEitherNormalizesOrRefuses(byte[] input) {
    String raw = new String(input, StandardCharsets.ISO_8859_1);
    String path;
    try {
      path = PathCodec.decode(raw);
    } catch (DavException e) {
      assertTrue(e.status() == 400 || e.status() == 414, () -> "status " + e.status());
      return;
    }
    assertTrue(TreePaths.isValid(path), path);
    assertTrue(Normalizer.isNormalized(path, Normalizer.Form.NFC), path);
    for (int i = 0; i < path.length(); i++) {
      assertFalse(PathCodec.isControlCharacter(path.charAt(i)), path);
    }
    for (String segment : path.split("/")) {
      assertFalse(segment.equals(".") || segment.equals(".."), path);
    }
    // What a listing sends back names the same path again (unless its escapes outgrow the
    // decoder's cheap length limit, a 414 checked before any decoding).
    String href = PathCodec.encode(path, false);
    if (href.length() <= 3 * TreePaths.MAX_PATH) {
      assertEquals(path, PathCodec.decode(href));
    }
  }
}
