package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.storage.ChangeKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MKCOL, DELETE, COPY and MOVE semantics (RFC 4918 §9.3, §9.6, §9.8, §9.9). */
class TreeOperationsTest {
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

  private static void file(String path, String content) {
    assertEquals(201, dav.put(path, content.getBytes(StandardCharsets.UTF_8)).statusCode());
  }

  private static String dest(String path) {
    return dav.base + path;
  }

  @Test
  void mkcol() {
    assertEquals(201, dav.status("MKCOL", "/m"));
    assertEquals(405, dav.status("MKCOL", "/m"));
    assertEquals(405, dav.status("MKCOL", "/"));
    assertEquals(409, dav.status("MKCOL", "/m/no/such"));
    file("/m/f", "x");
    assertEquals(405, dav.status("MKCOL", "/m/f"));
    assertEquals(409, dav.status("MKCOL", "/m/f/sub"));
    assertEquals(415, dav.send("MKCOL", "/m/body", "<x/>", "Content-Type", "text/xml").statusCode());
    assertEquals(404, dav.get("/m/body/").statusCode());
  }

  @Test
  void deleteRemovesWholeSubtrees() {
    dav.status("MKCOL", "/d");
    dav.status("MKCOL", "/d/e");
    file("/d/e/f", "x");
    assertEquals(400, dav.status("DELETE", "/d", "Depth", "0"));
    long before = dav.lastJid();
    assertEquals(204, dav.status("DELETE", "/d/"));
    assertEquals(before + 1, dav.lastJid());
    assertEquals(404, dav.get("/d/e/f").statusCode());
    assertEquals(404, dav.status("DELETE", "/d"));
    assertEquals(403, dav.status("DELETE", "/"));
  }

  @Test
  void copyWithOverwriteAndDepth() {
    file("/c-src.txt", "src");
    assertEquals(201, dav.status("COPY", "/c-src.txt", "Destination", dest("/c-dst.txt")));
    assertEquals(
        412, dav.status("COPY", "/c-src.txt", "Destination", dest("/c-dst.txt"), "Overwrite", "F"));
    assertEquals(204, dav.status("COPY", "/c-src.txt", "Destination", dest("/c-dst.txt")));
    assertEquals("src", TestDav.text(dav.get("/c-dst.txt")));
    assertEquals(409, dav.status("COPY", "/c-src.txt", "Destination", dest("/nope/x.txt")));
    assertEquals(403, dav.status("COPY", "/c-src.txt", "Destination", dest("/c-src.txt")));
    assertEquals(400, dav.status("COPY", "/c-src.txt", "Destination", dest("/x"), "Overwrite", "maybe"));

    dav.status("MKCOL", "/tree");
    dav.status("MKCOL", "/tree/sub");
    file("/tree/sub/leaf", "leaf");
    assertEquals(201, dav.status("COPY", "/tree/", "Destination", dest("/tree-deep/")));
    assertEquals("leaf", TestDav.text(dav.get("/tree-deep/sub/leaf")));
    assertEquals(201, dav.status("COPY", "/tree/", "Destination", dest("/tree-shallow/"), "Depth", "0"));
    assertEquals(200, dav.get("/tree-shallow/").statusCode());
    assertEquals(404, dav.get("/tree-shallow/sub/").statusCode());
    assertEquals(400, dav.status("COPY", "/tree/", "Destination", dest("/t1/"), "Depth", "1"));
    assertEquals(409, dav.status("COPY", "/tree/", "Destination", dest("/tree/sub/inside/")));
    assertEquals(ChangeKind.COPY, dav.history("/tree-deep").get(0).kind());
  }

  @Test
  void moveIsOneCommitAndReplacesWithOverwrite() {
    dav.status("MKCOL", "/mv");
    file("/mv/a", "a");
    file("/mv-target.txt", "old");
    long before = dav.lastJid();
    assertEquals(201, dav.status("MOVE", "/mv/", "Destination", dest("/mv2/")));
    assertEquals(before + 1, dav.lastJid());
    assertEquals("a", TestDav.text(dav.get("/mv2/a")));
    assertEquals(404, dav.get("/mv/a").statusCode());
    assertEquals(400, dav.status("MOVE", "/mv2/", "Destination", dest("/mv3/"), "Depth", "0"));
    file("/mv-src.txt", "new");
    assertEquals(
        412,
        dav.status("MOVE", "/mv-src.txt", "Destination", dest("/mv-target.txt"), "Overwrite", "F"));
    assertEquals(204, dav.status("MOVE", "/mv-src.txt", "Destination", dest("/mv-target.txt")));
    assertEquals("new", TestDav.text(dav.get("/mv-target.txt")));
    assertEquals(404, dav.get("/mv-src.txt").statusCode());
    assertEquals(201, dav.status("MOVE", "/mv-target.txt", "Destination", "/mv-by-path.txt"));
  }

  @Test
  void destinationOnAnotherServerIsBadGateway() {
    file("/gw.txt", "x");
    long before = dav.lastJid();
    assertEquals(502, dav.status("COPY", "/gw.txt", "Destination", "http://example.com/gw.txt"));
    assertEquals(
        502, dav.status("MOVE", "/gw.txt", "Destination", "http://127.0.0.1:1/gw.txt"));
    assertEquals(502, dav.status("COPY", "/gw.txt", "Destination", "ftp://127.0.0.1/gw.txt"));
    assertEquals(400, dav.status("COPY", "/gw.txt"));
    assertEquals(400, dav.status("COPY", "/gw.txt", "Destination", dest("/a/../gw2.txt")));
    assertEquals(400, dav.status("COPY", "/gw.txt", "Destination", dest("/a%2fb")));
    assertEquals(before, dav.lastJid());
  }
}
