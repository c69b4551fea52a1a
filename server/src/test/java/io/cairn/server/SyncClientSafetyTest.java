package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code cairn sync} must not do, each found by a review that tried: delete on the server a
 * folder the walk could not see, drop a server edit when a local folder became a file, bring
 * back a folder someone else deleted, loop on names stored in another Unicode form, or treat the
 * synced folder's deletion on the server as an order to empty the local one.
 */
class SyncClientSafetyTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @TempDir static Path scratch;
  static TestServer server;
  static SyncClients clients;
  static int folders;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(scratch.resolve("server"));
    clients = new SyncClients(scratch);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A fresh server folder and two local folders synced with it. */
  record Pair(String url, Path a, Path b) {}

  static Pair pair() throws Exception {
    String folder = "/s" + (++folders);
    assertEquals(201, server.send(ADMIN, "MKCOL", folder, null).statusCode());
    return new Pair(server.url(folder), Files.createDirectories(scratch.resolve(folder.substring(1) + "a")),
        Files.createDirectories(scratch.resolve(folder.substring(1) + "b")));
  }

  @Test
  void aFolderReplacedByALinkIsLeftAloneNotDeleted() throws Exception {
    Pair p = pair();
    Files.createDirectories(p.a().resolve("Keep"));
    Files.writeString(p.a().resolve("Keep/f.txt"), "keep me");
    clients.sync(p.a(), p.url()).expect(0);
    SyncClientConflictTest.deleteTree(p.a().resolve("Keep"));
    Files.createSymbolicLink(p.a().resolve("Keep"), scratch);
    SyncClients.Run run = clients.sync(p.a(), p.url());
    assertEquals(1, run.status(), run.toString());
    assertTrue(run.err().contains("left alone"), run.err());
    assertEquals("keep me", SyncClients.serverFile(server, pathOf(p, "/Keep/f.txt")));
  }

  @Test
  void aLocalFolderReplacedByAFileKeepsWhatChangedInsideOnTheServer() throws Exception {
    Pair p = pair();
    Files.createDirectories(p.a().resolve("G"));
    Files.writeString(p.a().resolve("G/y.txt"), "y");
    clients.sync(p.a(), p.url()).expect(0);
    clients.sync(p.b(), p.url()).expect(0);
    Files.writeString(p.b().resolve("G/y.txt"), "B's important edit");
    clients.sync(p.b(), p.url()).expect(0);
    SyncClientConflictTest.deleteTree(p.a().resolve("G"));
    Files.writeString(p.a().resolve("G"), "now a file");
    clients.sync(p.a(), p.url()).expect(0);
    assertEquals("B's important edit", SyncClients.serverFile(server, pathOf(p, "/G/y.txt")));
    assertEquals("B's important edit", Files.readString(p.a().resolve("G/y.txt")));
    clients.sync(p.b(), p.url()).expect(0);
    assertEquals(SyncClients.files(p.a()), SyncClients.files(p.b()));
  }

  @Test
  void aFolderDeletedElsewhereRightAfterASyncDoesNotComeBack() throws Exception {
    Pair p = pair();
    Files.createDirectories(p.a().resolve("F"));
    Files.writeString(p.a().resolve("F/x.txt"), "x");
    clients.sync(p.a(), p.url()).expect(0); // x.txt is recorded as just written (its mtime is not trusted yet)
    clients.sync(p.b(), p.url()).expect(0);
    SyncClientConflictTest.deleteTree(p.b().resolve("F"));
    clients.sync(p.b(), p.url()).expect(0);
    clients.sync(p.a(), p.url()).expect(0);
    assertFalse(Files.exists(p.a().resolve("F")), "deleted here too");
    assertEquals(404, server.send(ADMIN, "PROPFIND", pathOf(p, "/F"), null, "Depth", "0").statusCode(),
        "and not created again on the server");
  }

  @Test
  void namesStoredInAnotherUnicodeFormSyncOnceAndSettle() throws Exception {
    Pair p = pair();
    String cafeNfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
    String delNfd = Normalizer.normalize("dél.txt", Normalizer.Form.NFD);
    Files.writeString(p.a().resolve(cafeNfd), "base");
    Files.writeString(p.a().resolve(delNfd), "to delete");
    clients.sync(p.a(), p.url()).expect(0);
    clients.sync(p.b(), p.url()).expect(0);
    Files.delete(p.b().resolve("dél.txt"));
    Files.writeString(p.b().resolve("café.txt"), "from B");
    clients.sync(p.b(), p.url()).expect(0);
    Files.writeString(p.a().resolve(cafeNfd), "from A!");
    SyncClients.Run first = clients.sync(p.a(), p.url()).expect(0);
    assertTrue(first.out().contains("1 conflict"), first.out());
    SyncClients.Run second = clients.sync(p.a(), p.url()).expect(0);
    assertTrue(second.out().contains("0 conflicts") && second.out().contains("uploaded 0"), second.out());
    assertFalse(Files.exists(p.a().resolve(delNfd)), "the server's delete reached the file of the other form");
    assertEquals("from B", Files.readString(p.a().resolve(cafeNfd)));
    clients.sync(p.b(), p.url()).expect(0);
    assertEquals(nfc(SyncClients.files(p.a())), nfc(SyncClients.files(p.b())));
  }

  @Test
  void theSyncedFolderDeletedOnTheServerStopsTheRunAndDeletesNothingHere() throws Exception {
    Pair p = pair();
    Files.writeString(p.a().resolve("precious.txt"), "mine");
    clients.sync(p.a(), p.url()).expect(0);
    String folder = p.url().substring(p.url().lastIndexOf('/'));
    assertEquals(204, server.send(ADMIN, "DELETE", folder, null).statusCode());
    assertEquals(201, server.send(ADMIN, "MKCOL", folder, null).statusCode());
    SyncClients.Run run = clients.sync(p.a(), p.url());
    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().contains("was deleted or moved away"), run.err());
    assertEquals("mine", Files.readString(p.a().resolve("precious.txt")));
  }

  static String pathOf(Pair p, String rel) {
    return p.url().substring(p.url().lastIndexOf('/')) + rel;
  }

  static Map<String, String> nfc(Map<String, String> files) {
    Map<String, String> out = new TreeMap<>();
    files.forEach((k, v) -> out.put(Normalizer.normalize(k, Normalizer.Form.NFC), v));
    return out;
  }
}
