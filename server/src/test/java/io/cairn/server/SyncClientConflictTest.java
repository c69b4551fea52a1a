package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conflict shapes of {@code cairn sync}, each under each policy, with the results documented
 * in docs/sync-client.md: two clients A and B agree on a folder, A changes it and syncs, B changes
 * the same thing its own way and syncs with the policy. Whatever loses is still on the server (in
 * a file's history or its trash), and afterwards A, B and a fresh third client hold the same tree.
 */
class SyncClientConflictTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  static final AtomicInteger FOLDERS = new AtomicInteger();

  @TempDir static Path scratch;
  static TestServer server;
  static SyncClients clients;

  Path a;
  Path b;
  String folder;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(scratch.resolve("server"));
    clients = new SyncClients(scratch);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A and B agree on {@code f.txt = "base"} and {@code d/x.txt}. */
  void agreeOnBase(String policy) throws Exception {
    folder = "/c" + FOLDERS.incrementAndGet() + "-" + policy;
    assertEquals(201, server.send(ADMIN, "MKCOL", folder, null).statusCode());
    a = Files.createDirectories(scratch.resolve(folder.substring(1) + "-a"));
    b = Files.createDirectories(scratch.resolve(folder.substring(1) + "-b"));
    Files.writeString(a.resolve("f.txt"), "base");
    Files.createDirectories(a.resolve("d"));
    Files.writeString(a.resolve("d/x.txt"), "x");
    sync(a);
    sync(b);
    assertEquals("base", Files.readString(b.resolve("f.txt")));
  }

  SyncClients.Run sync(Path dir, String... extra) {
    return clients.sync(dir, server.url(folder), extra).expect(0);
  }

  static String[] flags(String policy) {
    return policy.equals("keep-both") ? new String[0] : new String[] {"--prefer", policy};
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void editedOnBothSides(String policy) throws Exception {
    agreeOnBase(policy);
    Files.writeString(a.resolve("f.txt"), "from A");
    sync(a);
    Files.writeString(b.resolve("f.txt"), "from B!");
    SyncClients.Run run = sync(b, flags(policy));
    assertTrue(run.out().contains("1 conflict"), run.out());
    switch (policy) {
      case "keep-both" -> {
        assertEquals("from A", Files.readString(b.resolve("f.txt")));
        Path copy = conflictCopy(b, "f");
        assertEquals("from B!", Files.readString(copy));
        assertEquals("from B!", serverFile(folder + "/" + copy.getFileName()));
        String listed = SyncClients.run("conflicts", b.toString()).expect(0).out();
        assertTrue(listed.contains("/f.txt: edited on both sides") && listed.contains("open"), listed);
      }
      case "local" -> {
        assertEquals("from B!", Files.readString(b.resolve("f.txt")));
        assertTrue(serverVersions(folder + "/f.txt").contains("from A"), "the server's version stays in history");
      }
      default -> {
        assertEquals("from A", Files.readString(b.resolve("f.txt")));
        assertTrue(trashed().stream().anyMatch(p -> p.contains("f (conflicted copy") && serverVersions(p).contains("from B!")),
            "the local version is in the server's trash: " + trashed());
      }
    }
    assertAllEqual();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void editedHereDeletedThere(String policy) throws Exception {
    agreeOnBase(policy);
    Files.delete(a.resolve("f.txt"));
    sync(a);
    Files.writeString(b.resolve("f.txt"), "from B!");
    sync(b, flags(policy));
    if (policy.equals("remote")) {
      assertFalse(Files.exists(b.resolve("f.txt")));
      assertNull(serverFile(folder + "/f.txt"));
      assertTrue(serverVersions(folder + "/f.txt").contains("from B!"), "the edit is in the server's trash");
    } else {
      assertEquals("from B!", Files.readString(b.resolve("f.txt")));
      assertEquals("from B!", serverFile(folder + "/f.txt"));
    }
    assertAllEqual();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void deletedHereEditedThere(String policy) throws Exception {
    agreeOnBase(policy);
    Files.writeString(a.resolve("f.txt"), "from A");
    sync(a);
    Files.delete(b.resolve("f.txt"));
    sync(b, flags(policy));
    if (policy.equals("local")) {
      assertFalse(Files.exists(b.resolve("f.txt")));
      assertNull(serverFile(folder + "/f.txt"));
      assertTrue(serverVersions(folder + "/f.txt").contains("from A"), "the edit is in the server's trash");
    } else {
      assertEquals("from A", Files.readString(b.resolve("f.txt")));
      assertEquals("from A", serverFile(folder + "/f.txt"));
    }
    assertAllEqual();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void renamedHereEditedThere(String policy) throws Exception {
    agreeOnBase(policy);
    Files.writeString(a.resolve("f.txt"), "from A");
    sync(a);
    Files.move(b.resolve("f.txt"), b.resolve("g.txt"));
    sync(b, flags(policy));
    assertEquals("base", Files.readString(b.resolve("g.txt")));
    assertEquals("base", serverFile(folder + "/g.txt"));
    if (policy.equals("local")) {
      assertFalse(Files.exists(b.resolve("f.txt")));
      assertTrue(serverVersions(folder + "/f.txt").contains("from A"), "the edit is in the server's trash");
    } else {
      assertEquals("from A", Files.readString(b.resolve("f.txt")));
      assertEquals("from A", serverFile(folder + "/f.txt"));
    }
    assertAllEqual();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void fileCreatedInAFolderTheOtherSideDeleted(String policy) throws Exception {
    agreeOnBase(policy);
    deleteTree(a.resolve("d"));
    sync(a);
    Files.writeString(b.resolve("d/new.txt"), "new");
    sync(b, flags(policy));
    assertEquals("new", Files.readString(b.resolve("d/new.txt")));
    assertFalse(Files.exists(b.resolve("d/x.txt")), "what the other side deleted and nobody changed goes");
    assertEquals("new", serverFile(folder + "/d/new.txt"));
    assertNull(serverFile(folder + "/d/x.txt"));
    assertAllEqual();
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-both", "local", "remote"})
  void aFileOnOneSideAFolderOnTheOther(String policy) throws Exception {
    agreeOnBase(policy);
    Files.createDirectories(a.resolve("new"));
    Files.writeString(a.resolve("new/inside.txt"), "folder side");
    sync(a);
    Files.writeString(b.resolve("new"), "file side");
    sync(b, flags(policy));
    assertEquals("folder side", Files.readString(b.resolve("new/inside.txt")));
    Path copy = conflictCopy(b, "new", "");
    assertEquals("file side", Files.readString(copy));
    assertEquals("file side", serverFile(folder + "/" + copy.getFileName()));
    assertAllEqual();
  }

  /** After A syncs again, A, B and a fresh client hold the same files and folders. */
  void assertAllEqual() throws Exception {
    sync(a);
    sync(b);
    Path c = Files.createDirectories(scratch.resolve(folder.substring(1) + "-c"));
    sync(c);
    assertEquals(SyncClients.files(a), SyncClients.files(b));
    assertEquals(SyncClients.files(a), SyncClients.files(c));
    assertEquals(SyncClients.folders(a), SyncClients.folders(c));
    assertEquals(SyncClients.folders(b), SyncClients.folders(c));
  }

  static Path conflictCopy(Path dir, String stem) throws Exception {
    return conflictCopy(dir, stem, ".txt");
  }

  static Path conflictCopy(Path dir, String stem, String ext) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> copies = files.filter(p -> p.getFileName().toString()
          .matches(stem + " \\(conflicted copy \\d{4}-\\d\\d-\\d\\d \\d{6} admin\\)" + Pattern.quote(ext))).toList();
      assertEquals(1, copies.size(), "one conflict copy in " + dir);
      return copies.get(0);
    }
  }

  static String serverFile(String path) throws Exception {
    return SyncClients.serverFile(server, path);
  }

  /** The content of every file version in the history of {@code path} on the server. */
  static List<String> serverVersions(String path) {
    try {
      return SyncClients.versions(server, path).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The paths in the server's trash for the test's folder. */
  List<String> trashed() throws Exception {
    HttpResponse<byte[]> res = server.send(ADMIN, "GET", "/.cairn/api/v1/trash?path=" + query(folder), null);
    List<String> out = new ArrayList<>();
    for (Object o : new JsonObject(new String(res.body(), StandardCharsets.UTF_8)).getJsonArray("trash")) {
      out.add(((JsonObject) o).getString("path"));
    }
    return out;
  }

  static String query(String s) {
    return SyncClients.query(s);
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
