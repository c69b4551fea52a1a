package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.storage.TreePaths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathCodecTest {

  @ParameterizedTest
  @CsvSource({
    "/, /",
    "/a, /a",
    "/a/, /a",
    "//a//b/, /a/b",
    "/a%20b, /a b",
    "/%C3%A9t%C3%A9, /été",
    "/a%25b, /a%b",
    "/~x/y.z, /~x/y.z",
    "/..., /...",
    "/.hidden, /.hidden"
  })
  void decodesValidPaths(String raw, String path) {
    assertEquals(path, PathCodec.decode(raw));
  }

  @Test
  void decodesRawUtf8BytesAsNettyDeliversThem() {
    // "é" sent unencoded arrives as the two ISO-8859-1 chars of its UTF-8 bytes.
    assertEquals("/é", PathCodec.decode("/\u00c3\u00a9"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b",
        "/a/../b",
        "/..",
        "/a/.",
        "/a/%2e%2e/b",
        "/a/%2E%2E",
        "/a/%2e",
        "/a%2fb",
        "/a%2Fb",
        "/a%00b",
        "/a%5",
        "/a%zz",
        "/a%c3",
        "/a%ff%fe",
        "/dir/#frag"
      })
  void refusesWhatMustNotReachStorage(String raw) {
    DavException e = assertThrows(DavException.class, () -> PathCodec.decode(raw));
    assertEquals(400, e.status());
  }

  @Test
  void refusesOverLongSegmentsAndPaths() {
    assertEquals(400, assertThrows(DavException.class, () -> PathCodec.decode("/" + "x".repeat(256))).status());
    String segment = "/" + "y".repeat(200);
    String tooLong = segment.repeat(TreePaths.MAX_PATH / segment.length() + 1);
    assertEquals(414, assertThrows(DavException.class, () -> PathCodec.decode(tooLong)).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a b/c", "/été/ü", "/x%y", "/semi;colon", "/q?x#y", "/😀"})
  void encodeThenDecodeIsIdentity(String path) {
    assertEquals(path, PathCodec.decode(PathCodec.encode(path, false)));
    assertEquals(path, PathCodec.decode(PathCodec.encode(path, true)));
  }

  @Test
  void encodesCollectionsWithTrailingSlash() {
    assertEquals("/a%20b/", PathCodec.encode("/a b", true));
    assertEquals("/", PathCodec.encode("/", true));
  }
}
