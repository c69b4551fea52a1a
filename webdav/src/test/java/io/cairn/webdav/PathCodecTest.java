package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.TreePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        "/dir/#frag",
        "/a%01b",
        "/a%1Fb",
        "/a%7Fb",
        "/a%C2%80b",
        "/a%C2%9Fb",
        "/ok/%0A",
        "/tab%09name",
        "/raw\u0001",
        "/raw\u007f"
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

  @Test
  void nfdAndNfcSpellingsDecodeToTheOneNfcPath() {
    String nfc = "/caf\u00e9.txt";
    assertEquals(nfc, PathCodec.decode("/cafe%CC%81.txt"));
    assertEquals(nfc, PathCodec.decode("/caf%C3%A9.txt"));
    // Unencoded UTF-8 bytes, as Netty hands them over, are normalized too.
    assertEquals(nfc, PathCodec.decode("/cafe\u00cc\u0081.txt"));
    assertEquals("/\u00e9t\u00e9/\uac00", PathCodec.decode("/e%CC%81te%CC%81/%E1%84%80%E1%85%A1"));
  }

  @Test
  void controlCharactersAreRefusedWithAShortReason() {
    DavException e = assertThrows(DavException.class, () -> PathCodec.decode("/a%01"));
    assertEquals(400, e.status());
    assertEquals("control character in a path segment", e.getMessage());
    // Just outside the C1 range: ordinary characters.
    assertEquals("/a\u00a0b", PathCodec.decode("/a%C2%A0b"));
    assertEquals("/~", PathCodec.decode("/%7E"));
  }

  @Test
  void everyStringBelowU0300IsAlreadyNfc() {
    // What the fast path in PathCodec.toNfc relies on: no pair of such characters composes.
    StringBuilder pair = new StringBuilder("xx");
    for (char a = 0x20; a < 0x300; a++) {
      for (char b = 0x20; b < 0x300; b++) {
        pair.setCharAt(0, a);
        pair.setCharAt(1, b);
        assertTrue(java.text.Normalizer.isNormalized(pair, java.text.Normalizer.Form.NFC), pair::toString);
      }
    }
  }
}
