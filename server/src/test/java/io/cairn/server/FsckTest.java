package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.storage.users.UserNames;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn fsck} through the entry point the command line uses ({@link Main#fsck}), on the
 * data a real server wrote (versions, a moved folder, a file in the trash) and then damaged by
 * hand: a chunk file removed, a chunk file overwritten with garbage of the same length.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FsckTest {
  @TempDir static Path dir;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String NS = UserNames.home("alice");
  /** Small enough to be one chunk, so the chunk's name is the content's SHA-256. */
  static final byte[] FIRST = random(1, 100_000);
  static final byte[] SECOND = random(2, 120_000);

  /** What one run printed and answered. */
  record Run(int status, String out, String err) {
    List<String> problems() {
      return out.lines().filter(l -> !l.startsWith("fsck: ")).toList();
    }
  }

  @BeforeAll
  static void writeThroughAServerAndStopIt() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      s.server.accounts().addUser("alice", "alice-password", false);
      put(s, "/report.txt", FIRST);
      put(s, "/report.txt", SECOND);
      put(s, "/report.txt", FIRST); // the live content is also the oldest version's
      assertEquals(201, s.send(ALICE, "MKCOL", "/docs", null).statusCode());
      put(s, "/docs/a.txt", random(3, 50_000));
      put(s, "/docs/empty.txt", new byte[0]);
      assertEquals(201, s.send(ALICE, "MOVE", "/docs", null, "Destination", s.url("/papers")).statusCode());
      put(s, "/gone.txt", random(4, 70_000));
      assertEquals(204, s.send(ALICE, "DELETE", "/gone.txt", null).statusCode());
    }
  }

  static void put(TestServer s, String path, byte[] body) throws Exception {
    int status = s.send(ALICE, "PUT", path, body).statusCode();
    assertTrue(status == 201 || status == 204, "PUT " + path + ": " + status);
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Run fsck(String... flags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[flags.length + 2];
    System.arraycopy(flags, 0, args, 0, flags.length);
    args[flags.length] = "--data";
    args[flags.length + 1] = dir.toString();
    int status = Main.fsck(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Where the local chunk store keeps the chunk of single-chunk {@code content}. */
  static Path chunkFile(byte[] content) {
    return ChunkFiles.local(dir, ChunkHash.sha256(content));
  }

  @Test
  @Order(1)
  void aCleanStoreExitsZeroWithNoProblemLines() {
    for (Run r : List.of(fsck(), fsck("--verify"))) {
      assertEquals(0, r.status(), r.out() + r.err());
      assertEquals(List.of(), r.problems());
      assertTrue(r.out().contains("; 0 problems"), r.out());
      assertTrue(r.out().contains("6 versions"), "six PUTs: " + r.out());
    }
    assertTrue(fsck("--verify").out().contains(" bytes read)"), "--verify reads");
  }

  @Test
  @Order(2)
  void aMissingChunkNamesTheLivePathAndEveryVersionThatNeedsIt() throws Exception {
    Path chunk = chunkFile(FIRST);
    byte[] kept = Files.readAllBytes(chunk);
    Files.delete(chunk);
    try {
      Run r = fsck();
      assertEquals(1, r.status(), r.out() + r.err());
      String hex = ChunkHash.sha256(FIRST).hex();
      assertEquals(List.of(
              "MISSING chunk " + hex + " needed by " + NS + ":/report.txt (live)",
              "MISSING chunk " + hex + " needed by " + NS + ":/report.txt (version jid 1)",
              "MISSING chunk " + hex + " needed by " + NS + ":/report.txt (version jid 3)"),
          r.problems().stream().sorted().toList());
      assertTrue(r.out().contains("; 3 problems"), r.out());
    } finally {
      Files.write(chunk, kept);
    }
    assertEquals(0, fsck().status(), "clean again once the chunk is back");
  }

  @Test
  @Order(3)
  void aChunkInTheTrashIsCheckedToo() throws Exception {
    Path chunk = chunkFile(random(4, 70_000));
    byte[] kept = Files.readAllBytes(chunk);
    Files.delete(chunk);
    try {
      Run r = fsck();
      assertEquals(1, r.status(), r.out() + r.err());
      assertTrue(r.problems().stream().anyMatch(l -> l.endsWith(NS + ":/gone.txt (trash jid 9)")), r.out());
    } finally {
      Files.write(chunk, kept);
    }
  }

  @Test
  @Order(4)
  void garbageOfTheSameLengthPassesThePlainCheckButNotVerify() throws Exception {
    Path chunk = chunkFile(random(3, 50_000));
    byte[] kept = Files.readAllBytes(chunk);
    Files.write(chunk, random(99, kept.length));
    try {
      Run plain = fsck();
      assertEquals(0, plain.status(), "the plain check does not read chunks: " + plain.out());
      Run verify = fsck("--verify");
      assertEquals(1, verify.status(), verify.out() + verify.err());
      String corrupt = "CORRUPT chunk " + ChunkHash.sha256(kept).hex() + " needed by " + NS;
      List<String> lines = verify.problems().stream().sorted().toList();
      assertEquals(2, lines.size(), verify.out());
      // The folder moved after the PUT: the live path is the new one, the version the old one.
      assertTrue(lines.get(0).startsWith(corrupt + ":/docs/a.txt (version jid 5): its bytes hash to "), lines.get(0));
      assertTrue(lines.get(1).startsWith(corrupt + ":/papers/a.txt (live): its bytes hash to "), lines.get(1));
    } finally {
      Files.write(chunk, kept);
    }
  }

  @Test
  @Order(5)
  void aTreeThatDisagreesWithTheJournalIsAMismatch() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("journal.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
        java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE entries SET tree_size = tree_size + 1 WHERE path = '/papers'");
      st.executeUpdate("UPDATE entries SET size = size + 1 WHERE path = '/report.txt'");
    }
    try {
      Run r = fsck();
      assertEquals(1, r.status(), r.out() + r.err());
      List<String> lines = r.problems();
assertTrue(lines.contains("MISMATCH " + NS + ":/papers: tree size 50001 but the files below hold 50000 bytes"), r.out());
      assertTrue(lines.contains("MISMATCH " + NS + ":/report.txt: size 100001 but its blocklist holds 100000 bytes"), r.out());
      assertTrue(lines.contains("MISMATCH " + NS + ":/report.txt: its content differs from the PUT row jid 3 that wrote it"), r.out());
      assertTrue(lines.contains("MISMATCH " + NS + ":/: tree size 150000 but the files below hold 150001 bytes"), r.out());
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
          java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE entries SET tree_size = tree_size - 1 WHERE path = '/papers'");
        st.executeUpdate("UPDATE entries SET size = size - 1 WHERE path = '/report.txt'");
      }
    }
    assertEquals(0, fsck().status(), "clean again");
  }

  @Test
  @Order(6)
  void anEntryWhoseParentIsGoneIsFoundThoughNoWalkFromTheRootReachesIt() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("journal.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
        java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE entries SET path = '/nowhere/a.txt', parent = '/nowhere' WHERE path = '/papers/a.txt'");
    }
    try {
      Run r = fsck();
      assertEquals(1, r.status(), r.out() + r.err());
      assertTrue(r.problems().contains("MISMATCH " + NS + ":/nowhere/a.txt: its parent /nowhere is not a live entry"), r.out());
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
          java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE entries SET path = '/papers/a.txt', parent = '/papers' WHERE path = '/nowhere/a.txt'");
      }
    }
    assertEquals(0, fsck().status(), "clean again");
  }

  @Test
  @Order(7)
  void itRunsBesideARunningServerOnTheSameData() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      put(s, "/while-serving.txt", random(5, 10_000));
      Run r = fsck("--verify");
      assertEquals(0, r.status(), r.out() + r.err());
      put(s, "/after-fsck.txt", random(6, 10_000)); // the server's store and lock are untouched
      HttpResponse<byte[]> status = s.send(TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "GET", "/.cairn/admin/status", null);
      assertEquals(200, status.statusCode());
      JsonObject last = new JsonObject(new String(status.body(), StandardCharsets.UTF_8)).getJsonObject("fsck");
      assertEquals("clean", last.getString("result"), "the server's status page shows the run: " + last);
      assertEquals(r.out().strip(), last.getString("summary"));
      assertTrue(last.getLong("lastRunAt") > 0 && last.getLong("tookMillis") >= 0, last.encode());
    }
  }

  @Test
  @Order(8)
  void progressGoesToStandardErrorAndProblemsAloneToStandardOutput() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new io.cairn.server.fsck.FsckCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), java.time.Duration.ZERO)
        .run(List.of("--data", dir.toString()), OfflineStorage::openReadOnly, OfflineStorage::openForRepair);
    assertEquals(0, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.matches("fsck: \\d+ namespaces, \\d+ versions, \\d+ chunks checked so far; 0 problems")),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count(), "only the summary");
  }

  @Test
  @Order(9)
  void storageThatCannotBeOpenedExitsTwoWithOneLineAndNoTrace() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.fsck(new String[] {"--data", dir.resolve("nothing-here").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.startsWith("cairn: fsck: cannot open the storage"), e);
    assertTrue(!e.contains("\tat "), "no stack trace: " + e);
    assertTrue(!Files.exists(dir.resolve("nothing-here")), "nothing is created");
    assertEquals(2, Main.fsck(new String[] {"--fix"}, new PrintStream(out), new PrintStream(err)));
  }
}
