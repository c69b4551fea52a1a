package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.webdav.props.LiveProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since on reads and writes. */
class ConditionalRequestTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String etag(String path) {
    return dav.get(path).headers().firstValue("ETag").orElseThrow();
  }

  @Test
  void getAnswers304ForAMatchingEtagOrAnOldDate() {
    dav.put("/c-get.txt", b("x"));
    String etag = etag("/c-get.txt");
    assertEquals(304, dav.get("/c-get.txt", "If-None-Match", etag).statusCode());
    assertEquals(200, dav.get("/c-get.txt", "If-None-Match", "\"other\"").statusCode());
    String future = LiveProperties.httpDate(Instant.now().plusSeconds(3600));
    assertEquals(304, dav.get("/c-get.txt", "If-Modified-Since", future).statusCode());
    String past = LiveProperties.httpDate(Instant.now().minusSeconds(3600));
    assertEquals(200, dav.get("/c-get.txt", "If-Modified-Since", past).statusCode());
    assertEquals(412, dav.get("/c-get.txt", "If-Match", "\"other\"").statusCode());
    assertEquals(412, dav.get("/c-get.txt", "If-Unmodified-Since", past).statusCode());
  }

  @Test
  void conditionalPutsCommitOnlyWhenTheConditionHolds() {
    assertEquals(201, dav.put("/c-put.txt", b("one"), "If-None-Match", "*").statusCode());
    assertEquals(412, dav.put("/c-put.txt", b("two"), "If-None-Match", "*").statusCode());
    String etag = etag("/c-put.txt");
    assertEquals(204, dav.put("/c-put.txt", b("two"), "If-Match", etag).statusCode());
    long jid = dav.lastJid();
    assertEquals(412, dav.put("/c-put.txt", b("three"), "If-Match", etag).statusCode());
    assertEquals(jid, dav.lastJid());
    assertEquals("two", TestDav.text(dav.get("/c-put.txt")));
    assertEquals(412, dav.put("/c-absent.txt", b("x"), "If-Match", "*").statusCode());
    assertEquals(404, dav.get("/c-absent.txt").statusCode());
  }

  @Test
  void conditionalDeleteAndMove() {
    dav.put("/c-del.txt", b("x"));
    assertEquals(412, dav.status("DELETE", "/c-del.txt", "If-Match", "\"other\""));
    assertEquals(204, dav.status("DELETE", "/c-del.txt", "If-Match", etag("/c-del.txt")));
    dav.put("/c-mv.txt", b("x"));
    assertEquals(
        412,
        dav.status("MOVE", "/c-mv.txt", "Destination", dav.base + "/c-mv2.txt", "If-Match", "\"no\""));
    assertEquals(
        201,
        dav.status(
            "MOVE", "/c-mv.txt", "Destination", dav.base + "/c-mv2.txt", "If-Match", etag("/c-mv.txt")));
  }
}
