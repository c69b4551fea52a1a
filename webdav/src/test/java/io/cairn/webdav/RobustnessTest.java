package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ContentHash;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.JournalRow;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile paths, broken uploads and concurrent writers: the server answers and stays consistent. */
class RobustnessTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
    dav.status("MKCOL", "/safe");
    dav.put("/safe/file.txt", "keep".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  @Test
  void hostilePathsAre4xxAndTouchNothing() throws Exception {
    long before = dav.lastJid();
    String[] paths = {
      "/safe/../escape.txt",
      "/safe/%2e%2e/escape.txt",
      "/safe/%2E%2e%2Fescape.txt",
      "/safe%2fescape.txt",
      "/safe/a%00b",
      "/safe/./x",
      "/safe/%zz",
      "/safe/" + "n".repeat(300),
      "/safe/" + ("d".repeat(200) + "/").repeat(25) + "x",
      "/safe/frag#ment"
    };
    for (String p : paths) {
      for (String method : List.of("PUT", "MKCOL", "DELETE", "PROPFIND", "GET")) {
        int status =
            RawHttp.exchange(
                dav.port(),
                method + " " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nDepth: 0\r\nConnection: close\r\n",
                new byte[] {'x'});
        assertTrue(status >= 400 && status < 500, method + " " + p + " answered " + status);
      }
    }
    assertEquals(before, dav.lastJid());
    assertEquals("keep", TestDav.text(dav.get("/safe/file.txt")));
    assertEquals(207, dav.send("PROPFIND", "/safe/", (byte[]) null, "Depth", "1").statusCode());
  }

  @Test
  void unknownMethodsAndMethodsWithoutHandler() {
    assertEquals(501, dav.status("BREW", "/safe/file.txt"));
    HttpResponse<byte[]> post = dav.send("POST", "/safe/file.txt", "x");
    assertEquals(405, post.statusCode());
    assertTrue(post.headers().firstValue("Allow").isPresent());
  }

  @Test
  void everyResponseIdentifiesTheServerAndItsDavClasses() {
    HttpResponse<byte[]> r = dav.send("OPTIONS", "/safe/", (byte[]) null);
    assertEquals(200, r.statusCode());
    assertEquals("1, 2", r.headers().firstValue("DAV").orElseThrow());
    assertEquals("DAV", r.headers().firstValue("MS-Author-Via").orElseThrow());
    assertEquals("Cairn", r.headers().firstValue("Server").orElseThrow());
    assertTrue(r.headers().firstValue("Allow").orElseThrow().contains("PROPFIND"));
    HttpResponse<byte[]> missing = dav.get("/nope");
    assertEquals(404, missing.statusCode());
    assertEquals("Cairn", missing.headers().firstValue("Server").orElseThrow());
    assertTrue(!TestDav.text(missing).contains("Exception"));
  }

  @Test
  void aCutOffUploadLeavesTheOldVersion() throws Exception {
    byte[] old = "the old version".getBytes(StandardCharsets.UTF_8);
    dav.put("/cut.bin", old);
    long before = dav.lastJid();
    long done = dav.dav.completedRequests();
    byte[] half = new byte[600_000];
    new Random(3).nextBytes(half);
    RawHttp.sendAndHangUp(
        dav.port(),
        "PUT /cut.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\n",
        half);
    // The server notices the hang-up on its own time: wait (bounded) until it is done with it.
    for (int i = 0; i < 600 && dav.dav.completedRequests() == done; i++) {
      Thread.sleep(50);
    }
    assertEquals(done + 1, dav.dav.completedRequests());
    assertEquals(before, dav.lastJid());
    assertEquals("the old version", TestDav.text(dav.get("/cut.bin")));
    assertEquals(1, dav.history("/cut.bin").size());
  }

  @Test
  void concurrentPutsLeaveExactlyOneOfThemAndJournalEach() throws Exception {
    int writers = 16;
    List<byte[]> bodies = new ArrayList<>();
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < writers; i++) {
      byte[] b = new byte[50_000 + i * 7919];
      new Random(100 + i).nextBytes(b);
      bodies.add(b);
      hashes.add(TestDav.sha256(b));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (byte[] b : bodies) {
        results.add(pool.submit(() -> dav.put("/race.bin", b).statusCode()));
      }
      for (Future<Integer> f : results) {
        int status = f.get(120, TimeUnit.SECONDS);
        assertTrue(status == 201 || status == 204, "PUT answered " + status);
      }
    } finally {
      pool.shutdownNow();
    }
    byte[] last = dav.get("/race.bin").body();
    assertTrue(hashes.contains(TestDav.sha256(last)), "the final content is one of the uploads");
    List<JournalRow> rows = dav.history("/race.bin");
    assertEquals(writers, rows.size());
    Set<String> journaled = new HashSet<>();
    for (JournalRow r : rows) {
      assertEquals(ChangeKind.PUT, r.kind());
      journaled.add(r.contentHash());
    }
    assertEquals(writers, journaled.size(), "every version is in the journal");
    String newest = rows.get(0).contentHash();
    assertEquals(ContentHash.etag(newest), dav.get("/race.bin").headers().firstValue("ETag").orElseThrow());
  }
}
