package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.UploadLoad.Outcome;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.server.gc.GarbageCollector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a Cairn server (its own JVM process) in the middle of 64 concurrent PUTs of new files
 * and overwrites, three times over, then gc of what the cut-off uploads left. After each restart
 * on the same storage: every upload that got a 2xx reads back with its SHA-256 (current, or in its
 * path's history when a later upload may have replaced it), no file is torn, and {@code cairn fsck
 * --verify} (its entry point, {@link Main#fsck}) is clean.
 *
 * <p><b>Time passing for gc.</b> The grace is at least 3 h (ADR 0012). After the last restart the
 * server is stopped, so no upload is in flight, and {@link GarbageCollector} runs offline (as
 * {@code cairn gc} does) with a {@link Clock} 4 h ahead of the real one: exactly what a run 4 h
 * later, with nobody writing meanwhile, would see. It must delete the orphaned chunks (its second
 * run finds no unreferenced chunk left, kept or deleted), and after it fsck is clean and, on a
 * restarted server, every acknowledged upload still reads with its SHA-256.
 *
 * <p>Bounded: each load runs at most 20 s and 6 PUTs per client; the kill comes 0–2 s after the
 * run's 16th acknowledged upload (15 s at most).
 * Each backend pair subclasses this with its storage.
 */
abstract class CrashContract {
  static final int CLIENTS = 64;
  static final int KILLS = 3;

  /** The journal.uri and chunks.uri of this backend pair (empty: the embedded defaults). */
  abstract Map<String, String> storage(Path dir) throws Exception;

  @TempDir Path dir;

  @Test
  @Timeout(240)
  void killNineMidLoadThreeTimesLosesNothingAcknowledgedAndGcCollectsTheOrphans() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String name = getClass().getSimpleName();
    Map<String, String> settings = new HashMap<>(storage(dir));
    settings.put("gc.interval.hours", "0"); // the test runs gc itself
    UploadLoad load = new UploadLoad(seed, 4, 24, 25);
    try (ServerProcess server = new ServerProcess(dir, settings)) {
      server.start();
      // A few uploads first, acknowledged before any kill (they must survive all three), which also
      // warm the fresh server up so that the first loaded run reaches its acknowledgements.
      load.run(server::url, ServerProcess.ADMIN, 4, 4, seed, Duration.ofSeconds(30));
      System.out.printf("%s (seed %d): %d uploads acknowledged before the first kill, %d not: %s%n", name, seed,
          load.count(Outcome.ACKED), load.attempts().size() - load.count(Outcome.ACKED), load.attempts().stream()
              .filter(a -> a.outcome() != Outcome.ACKED).map(a -> a.outcome() + " " + a.status()).toList());
      assertEquals(load.attempts().size(), load.count(Outcome.ACKED), "a healthy server acknowledges every upload");
      for (int run = 1; run <= KILLS; run++) {
        long acked = load.count(Outcome.ACKED);
        long refused = load.count(Outcome.REFUSED);
        long runStart = System.nanoTime();
        long killAfter = random.nextInt(2_000);
        long[] killedAt = new long[1];
        Thread killer = Thread.ofVirtual().start(() -> {
          try {
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (load.count(Outcome.ACKED) < acked + 16 && System.nanoTime() < waitUntil) {
              Thread.sleep(20);
            }
            Thread.sleep(killAfter);
            killedAt[0] = System.nanoTime();
            server.kill();
            load.stop();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        load.run(server::url, ServerProcess.ADMIN, CLIENTS, 6, seed + run, Duration.ofSeconds(20));
        killer.join();
        load.resume();
        long inFlight = load.attempts().stream()
            .filter(a -> a.outcome() == Outcome.CUT && a.started() < killedAt[0] && a.started() >= runStart).count();
        System.out.printf("%s run %d (seed %d): killed %d ms after the 16th acknowledgement; %d uploads acknowledged, %d cut off in flight, %d refused%n",
            name, run, seed, killAfter, load.count(Outcome.ACKED) - acked, inFlight,
            load.count(Outcome.REFUSED) - refused);
        assertTrue(inFlight > 0, "the kill came mid-load");
        server.start();
        assertEquals(List.of(), new LedgerCheck(server::url, ServerProcess.ADMIN).problems(load.attempts()),
            "after restart " + run + " (seed " + seed + ")");
        assertFsckClean(server.config(), "after restart " + run);
      }
      server.stop();
      GarbageCollector.Summary swept = gc(server.config(), false);
      GarbageCollector.Summary again = gc(server.config(), true);
      System.out.printf("%s: gc 4 h later deleted %d orphaned chunks (%d bytes) of %d stored; %d marked%n",
          name, swept.sweptChunks(), swept.sweptBytes(), swept.storedChunks(), swept.markedChunks());
      assertEquals(0, again.sweptChunks() + again.keptForGraceChunks(),
          "every unreferenced chunk went in the first run: " + again);
      assertEquals(again.markedChunks(), again.storedChunks(), "what is stored is what versions name: " + again);
      assertFsckClean(server.config(), "after gc");
      server.start();
      assertEquals(List.of(), new LedgerCheck(server::url, ServerProcess.ADMIN).problems(load.attempts()), "after gc");
    }
  }

  /** A gc run offline, as {@code cairn gc} does it, 4 h after now, with the minimum grace of 3 h. */
  static GarbageCollector.Summary gc(Path config, boolean dryRun) {
    try (FsckCommand.Storage storage = OfflineStorage.openForSweep(ServerConfig.load(config, Map.of()))) {
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(4));
      return new GarbageCollector(storage.journal(), storage.chunks(), later, Duration.ofHours(3), 0, Duration.ofMinutes(1))
          .run(dryRun, new GarbageCollector.Observer() {});
    }
  }

  /** What one {@code cairn fsck --verify} run answered and printed. */
  record Fsck(int status, String out) {}

  static Fsck fsck(Path config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.fsck(new String[] {"--verify", "--config", config.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Fsck(status, out.toString(StandardCharsets.UTF_8));
  }

  static void assertFsckClean(Path config, String when) {
    Fsck r = fsck(config);
    assertEquals(0, r.status(), "fsck --verify " + when + ": " + r.out());
  }
}
