package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.server.gc.GarbageCollector;
import io.cairn.server.gc.GcFailure;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn gc} through the entry point the command line uses ({@link Main#gc}), on the data a
 * real server wrote (versions, a moved folder, a file in the trash), every chunk file made three
 * days old, plus two chunks no version names: one as old, one just written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GcCommandTest {
  @TempDir static Path dir;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final Instant DAYS_AGO = Instant.now().minus(Duration.ofDays(3));
  static ChunkHash oldOrphan;
  static ChunkHash youngOrphan;

  record Run(int status, String out, String err) {}

  @BeforeAll
  static void writeThroughAServerAndStopIt() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      s.server.accounts().addUser("alice", "alice-password", false);
      FsckTest.put(s, "/report.txt", random(1, 100_000));
      FsckTest.put(s, "/report.txt", random(2, 120_000));
      assertEquals(201, s.send(ALICE, "MKCOL", "/docs", null).statusCode());
      FsckTest.put(s, "/docs/a.txt", random(3, 300_000));
      assertEquals(201, s.send(ALICE, "MOVE", "/docs", null, "Destination", s.url("/papers")).statusCode());
      FsckTest.put(s, "/gone.txt", random(4, 70_000));
      assertEquals(204, s.send(ALICE, "DELETE", "/gone.txt", null).statusCode());
    }
    try (Stream<Path> files = Files.walk(chunks())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, FileTime.from(DAYS_AGO));
      }
    }
    oldOrphan = store(random(5, 40_000), DAYS_AGO);
    youngOrphan = store(random(6, 41_000), null);
  }

  @Test
  @Order(1)
  void besideARunningServerOnLocalDiskGcRefusesInOneLineAndADryRunWorks() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      Run refused = gc();
      assertEquals(2, refused.status());
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertTrue(refused.err().contains("a running server has the chunk directory open"), refused.err());
      Run dry = gc("--dry-run");
      assertEquals(0, dry.status(), dry.err());
      assertTrue(dry.out().contains("would delete " + oldOrphan.hex() + " 40000"), dry.out());
    }
    assertTrue(exists(oldOrphan));
  }

  @Test
  @Order(2)
  void aDryRunListsOnlyTheOldOrphanAndDeletesNothing() throws Exception {
    long before = chunkFiles();
    Run dry = gc("--dry-run");
    assertEquals(0, dry.status(), dry.err());
    assertEquals(1, dry.out().lines().filter(l -> l.startsWith("would delete ")).count(), dry.out());
    assertTrue(dry.out().contains("would delete 1 chunks (40000 bytes)"), dry.out());
    assertTrue(dry.out().contains("kept 1 unreferenced chunks (41000 bytes)"), dry.out());
    assertEquals(before, chunkFiles());
    assertTrue(exists(oldOrphan));
  }

  @Test
  @Order(3)
  void aMarkThatCannotReadTheJournalFailsAndDeletesNothing() throws Exception {
    FsckCommand.Storage storage = OfflineStorage.openForSweep(ServerConfig.load(null, Map.of("data.dir", dir.toString())));
    try (storage) {
      Journal failing = failingChanges(storage.journal());
      GarbageCollector gc = new GarbageCollector(failing, storage.chunks(), Clock.systemUTC(), Duration.ofHours(2), 0,
          Duration.ofMinutes(1));
      GcFailure e = assertThrows(GcFailure.class, () -> gc.run(false, new GarbageCollector.Observer() {}));
      assertTrue(e.getMessage().contains("cannot read the journal of"), e.getMessage());
    }
    assertTrue(exists(oldOrphan), "the sweep never ran");
  }

  @Test
  @Order(4)
  void gcDeletesTheOldOrphanKeepsTheYoungOneAndFsckIsCleanAfterIt() throws Exception {
    long before = chunkFiles();
    Run run = gc();
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("deleted " + oldOrphan.hex() + " 40000"), run.out());
    assertTrue(run.out().contains("deleted 1 chunks (40000 bytes)"), run.out());
    assertFalse(exists(oldOrphan));
    assertTrue(exists(youngOrphan), "younger than the grace");
    assertEquals(before - 1, chunkFiles());
    ByteArrayOutputStream fsckOut = new ByteArrayOutputStream();
    int fsck = Main.fsck(new String[] {"--data", dir.toString()}, new PrintStream(fsckOut, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, fsck, "every retained version's chunks are there: " + fsckOut.toString(StandardCharsets.UTF_8));
    Run again = gc();
    assertTrue(again.out().contains("deleted 0 chunks"), again.out());
  }

  @Test
  @Order(5)
  void unknownFlagsAndUnusableStorageCannotRun() {
    assertEquals(2, gc("--now").status());
    Run none = run("--data", dir.resolve("nothing-here").toString(), "--dry-run");
    assertEquals(2, none.status(), none.err());
  }

  /** A journal whose journal reads fail for every namespace, as a database gone mid-walk. */
  static Journal failingChanges(Journal journal) {
    return (Journal) Proxy.newProxyInstance(Journal.class.getClassLoader(), new Class<?>[] {Journal.class},
        (proxy, method, args) -> {
          if (method.getName().equals("changes")) {
            return Future.failedFuture(new CairnException(CairnException.Kind.TRANSIENT, "database unreachable"));
          }
          try {
            return method.invoke(journal, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  static Run gc(String... flags) {
    String[] args = new String[flags.length + 2];
    System.arraycopy(flags, 0, args, 0, flags.length);
    args[flags.length] = "--data";
    args[flags.length + 1] = dir.toString();
    return run(args);
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.gc(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path chunks() {
    return dir.resolve("chunks");
  }

  static Path file(ChunkHash h) {
    return chunks().resolve(h.hex().substring(0, 2)).resolve(h.hex().substring(2, 4)).resolve(h.hex());
  }

  static boolean exists(ChunkHash h) {
    return Files.exists(file(h));
  }

  static long chunkFiles() throws IOException {
    try (Stream<Path> files = Files.walk(chunks())) {
      return files.filter(f -> f.getFileName().toString().length() == 64).count();
    }
  }

  /** A chunk written straight into the store (as by an upload never committed), made {@code at} old. */
  static ChunkHash store(byte[] data, Instant at) throws Exception {
    ChunkHash h = ChunkHash.sha256(data);
    FsChunkStore store = FsChunkStore.open(chunks()).toCompletionStage().toCompletableFuture().get();
    try {
      store.put(h, Buffer.buffer(data)).toCompletionStage().toCompletableFuture().get();
    } finally {
      store.close();
    }
    if (at != null) {
      Files.setLastModifiedTime(file(h), FileTime.from(at));
    }
    return h;
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
