package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET zip}: a folder as one ZIP, with what is below it and nothing else. */
class FolderZipTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final byte[] BIG = new byte[3 << 20];

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"));
    s.server.accounts().addUser("alice", "alice-password", false);
    new Random(5).nextBytes(BIG);
    for (String folder : new String[] {"/docs", "/docs/empty", "/docs/sub", "/other"}) {
      assertEquals(201, s.send(ALICE, "MKCOL", folder, null).statusCode());
    }
    assertEquals(201, s.send(ALICE, "PUT", "/docs/a%20b.txt", "hello".getBytes()).statusCode());
    assertEquals(201, s.send(ALICE, "PUT", "/docs/sub/big.bin", BIG).statusCode());
    assertEquals(201, s.send(ALICE, "PUT", "/other/secret.txt", "not in the zip".getBytes()).statusCode());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void aFolderComesWholeUnderItsNameAndNothingBesideIt() throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", "/.cairn/api/v1/zip?path=/docs", null);
    assertEquals(200, r.statusCode());
    assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("attachment; filename*=UTF-8''docs.zip", r.headers().firstValue("Content-Disposition").orElse(null));
    Map<String, byte[]> entries = unzip(r.body());
    assertEquals(java.util.Set.of("docs/", "docs/a b.txt", "docs/empty/", "docs/sub/", "docs/sub/big.bin"), entries.keySet());
    assertEquals("hello", new String(entries.get("docs/a b.txt")));
    assertArrayEquals(BIG, entries.get("docs/sub/big.bin"));
  }

  @Test
  void theRootIsEveryFolderOfTheHome() throws Exception {
    Map<String, byte[]> entries = unzip(s.send(ALICE, "GET", "/.cairn/api/v1/zip?path=/", null).body());
    assertTrue(entries.containsKey("files/other/secret.txt"), entries.keySet().toString());
    assertTrue(entries.containsKey("files/docs/sub/big.bin"));
  }

  @Test
  void aFileANonFolderOrAStrangerGetsNoZip() throws Exception {
    assertEquals(404, s.send(ALICE, "GET", "/.cairn/api/v1/zip?path=/docs/a%20b.txt", null).statusCode());
    assertEquals(404, s.send(ALICE, "GET", "/.cairn/api/v1/zip?path=/nothing", null).statusCode());
    assertEquals(401, s.send(null, "GET", "/.cairn/api/v1/zip?path=/docs", null).statusCode());
    // The admin's own home has no /docs: each caller zips their own view only.
    assertEquals(404, s.send(TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "GET", "/.cairn/api/v1/zip?path=/docs", null)
        .statusCode());
  }
}
