package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sync} as a person meets it: a folder synced up and down again, a second run with
 * nothing changed that moves nothing, content already on either side reused instead of sent, and
 * clear refusals (a wrong password, a server folder that does not exist, a folder synced with
 * another URL) that change nothing.
 */
class SyncClientTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @Test
  void tenThousandFilesSyncOnceAndASecondRunMovesNothing(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"))) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Random random = new Random(7);
      for (int d = 0; d < 100; d++) {
        Path folder = Files.createDirectories(a.resolve("folder " + d));
        for (int f = 0; f < 100; f++) {
          byte[] data = new byte[1 + random.nextInt(2000)];
          random.nextBytes(data);
          Files.write(folder.resolve("file-" + f + ".bin"), data);
        }
      }
      SyncClients.Run first = clients.sync(a, server.url("/")).expect(0);
      assertTrue(first.out().contains("uploaded 10000 files"), first.out());
      assertTrue(first.out().contains("100 folders created"), first.out());

      SyncClients.Run second = clients.sync(a, server.url("/")).expect(0);
      assertTrue(second.out().contains("uploaded 0 files (0 B sent"), second.out());
      assertTrue(second.out().contains("downloaded 0 (0 B received"), second.out());
      System.out.println("second run of 10,000 unchanged files: " + second.out().strip());

      Path b = Files.createDirectories(scratch.resolve("b"));
      clients.sync(b, server.url("/")).expect(0);
      assertEquals(SyncClients.files(a), SyncClients.files(b));
      SyncClients.Run third = clients.sync(b, server.url("/")).expect(0);
      assertTrue(third.out().contains("uploaded 0 files (0 B sent") && third.out().contains("downloaded 0 (0 B"), third.out());
    }
  }

  @Test
  void contentAlreadyOnEitherSideIsReusedNotSent(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"))) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Path b = Files.createDirectories(scratch.resolve("b"));
      byte[] data = new byte[6 << 20];
      new Random(3).nextBytes(data);
      Files.write(a.resolve("original.bin"), data);
      clients.sync(a, server.url("/")).expect(0);
      clients.sync(b, server.url("/")).expect(0);

      Files.copy(a.resolve("original.bin"), a.resolve("copy.bin"));
      SyncClients.Run up = clients.sync(a, server.url("/")).expect(0);
      assertEquals(0, sent(up), "a copy of content the server has sends no chunk: " + up.out());

      SyncClients.Run down = clients.sync(b, server.url("/")).expect(0);
      assertEquals(0, received(down), "the copy is rebuilt from the chunks of the file already here: " + down.out());
      assertTrue(down.out().contains("downloaded 1"), down.out());
      assertEquals(SyncClients.files(a), SyncClients.files(b));

      // An edit in the middle on one side costs about one chunk each way, whichever side uploaded it.
      byte[] edited = Files.readAllBytes(b.resolve("copy.bin"));
      edited[3 << 20] ^= 1;
      Files.write(b.resolve("copy.bin"), edited);
      SyncClients.Run editUp = clients.sync(b, server.url("/")).expect(0);
      assertTrue(sent(editUp) < (3 << 20), "only the chunk around the edit is sent: " + editUp.out());
      SyncClients.Run editDown = clients.sync(a, server.url("/")).expect(0);
      assertTrue(received(editDown) < (3 << 20), "only the chunk around the edit is fetched: " + editDown.out());
      assertEquals(SyncClients.files(a), SyncClients.files(b));
    }
  }

  @Test
  void aRenameOnEitherSideIsARenameOnTheOtherAndHistoryFollowsIt(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"))) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Path b = Files.createDirectories(scratch.resolve("b"));
      byte[] data = new byte[3 << 20];
      new Random(5).nextBytes(data);
      Files.write(a.resolve("draft.bin"), data);
      clients.sync(a, server.url("/")).expect(0);
      data[10] ^= 1;
      Files.write(a.resolve("draft.bin"), data);
      clients.sync(a, server.url("/")).expect(0);
      clients.sync(b, server.url("/")).expect(0);

      Files.createDirectories(a.resolve("final"));
      Files.move(a.resolve("draft.bin"), a.resolve("final/report.bin"));
      SyncClients.Run up = clients.sync(a, server.url("/")).expect(0);
      assertTrue(up.out().contains("1 renamed") && sent(up) == 0, up.out());
      var history = new io.vertx.core.json.JsonObject(new String(server.send(ADMIN, "GET",
          "/.cairn/api/v1/history?path=/final/report.bin", null).body())).getJsonArray("versions");
      assertEquals(3, history.size(), "the move and both versions before it: " + history);

      Object inode = Files.getAttribute(b.resolve("draft.bin"), "unix:ino");
      SyncClients.Run down = clients.sync(b, server.url("/")).expect(0);
      assertTrue(down.out().contains("1 renamed") && down.out().contains("downloaded 0"), down.out());
      assertEquals(inode, Files.getAttribute(b.resolve("final/report.bin"), "unix:ino"), "renamed, not rewritten");
      assertEquals(SyncClients.files(a), SyncClients.files(b));
    }
  }

  @Test
  void refusalsAreClearAndChangeNothing(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"))) {
      SyncClients clients = new SyncClients(scratch);
      Path a = Files.createDirectories(scratch.resolve("a"));
      Files.writeString(a.resolve("keep.txt"), "mine");
      Path wrong = scratch.resolve("wrong");
      Files.writeString(wrong, "not-the-password");

      SyncClients.Run denied = SyncClients.run(a.toString(), server.url("/"), "--user", "admin", "--password-file", wrong.toString());
      assertEquals(2, denied.status());
      assertTrue(denied.err().contains("authentication failed"), denied.err());
      assertFalse(denied.err().contains("at io.cairn"), "no stack trace: " + denied.err());

      SyncClients.Run missing = clients.sync(a, server.url("/no/such/folder"));
      assertEquals(2, missing.status());
      assertTrue(missing.err().contains("/no/such/folder does not exist"), missing.err());

      clients.sync(a, server.url("/")).expect(0);
      SyncClients.Run other = clients.sync(a, server.url("/elsewhere"));
      assertEquals(2, other.status());
      assertTrue(other.err().contains("is synced with"), other.err());
      assertEquals("mine", Files.readString(a.resolve("keep.txt")));

      SyncClients.Run usage = SyncClients.run(a.toString());
      assertEquals(2, usage.status());
      assertTrue(usage.err().contains("give LOCAL_DIR and URL"), usage.err());
    }
  }

  @Test
  void namesThatDifferOnlyInCaseAreNotWrittenOverEachOtherOnACaseInsensitiveDisk(@TempDir Path scratch) throws Exception {
    try (TestServer server = TestServer.start(scratch.resolve("server"))) {
      SyncClients clients = new SyncClients(scratch);
      assertEquals(201, server.send(ADMIN, "PUT", "/Report.txt", "upper".getBytes()).statusCode());
      assertEquals(201, server.send(ADMIN, "PUT", "/report.txt", "lower".getBytes()).statusCode());
      Path a = Files.createDirectories(scratch.resolve("a"));
      System.setProperty("cairn.sync.case-insensitive", "true");
      try {
        SyncClients.Run run = clients.sync(a, server.url("/"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("/report.txt: differs only in case from /Report.txt"), run.err());
        assertEquals("upper", Files.readString(a.resolve("Report.txt")));
        assertFalse(Files.exists(a.resolve("report.txt")), "the second name is not written");
        clients.sync(a, server.url("/"));
      } finally {
        System.clearProperty("cairn.sync.case-insensitive");
      }
      assertEquals("lower", new String(server.send(ADMIN, "GET", "/report.txt", null).body()), "and never deleted on the server");
    }
  }

  static long sent(SyncClients.Run run) {
    return bytes(run.out(), "\\(([0-9.]+ [KMG]?i?B) sent");
  }

  static long received(SyncClients.Run run) {
    return bytes(run.out(), "\\(([0-9.]+ [KMG]?i?B) received");
  }

  private static long bytes(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertTrue(m.find(), out);
    String[] parts = m.group(1).split(" ");
    double v = Double.parseDouble(parts[0]);
    return (long) switch (parts[1]) {
      case "KiB" -> v * 1024;
      case "MiB" -> v * (1 << 20);
      case "GiB" -> v * (1 << 30);
      default -> v;
    };
  }
}
