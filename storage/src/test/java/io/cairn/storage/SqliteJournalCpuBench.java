package io.cairn.storage;

import com.sun.management.OperatingSystemMXBean;
import io.cairn.storage.sqlite.SqliteJournal;
import io.vertx.core.Future;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads and commits per second of {@link SqliteJournal}, and the process CPU each one costs, with
 * sixteen virtual-thread callers as the WebDAV server has them. Not a test: run it by hand and
 * compare runs of two builds taken alternately (the machine is shared, so report ranges):
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp storage/target/test-classes:storage/target/classes:DEPS \
 *     io.cairn.storage.SqliteJournalCpuBench [seconds per phase (5)] [rounds (3)] [directory]
 * </pre>
 *
 * <p>Reads: {@code entry()} of a random one of 2,000 files. Commits: each caller puts new paths
 * with a 4 KiB one-block blocklist into one namespace, waiting for each commit before the next.
 */
public final class SqliteJournalCpuBench {
  private static final int CALLERS = 16;
  private static final int FILES = 2_000;

  private SqliteJournalCpuBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("cairn-cpu-bench");
    Path file = dir.resolve("bench.db");
    try (Journal journal = SqliteJournal.open(file, Clock.systemUTC())) {
      String ns = "bench";
      await(journal.createNamespace(ns));
      for (int i = 0; i < FILES; i++) {
        await(journal.commit(ns, put("/r" + i, "r" + i), "bench"));
      }
      // Warm-up (JIT, statement caches), not reported.
      reads(journal, ns, 2);
      commits(journal, ns, 2, "w");
      for (int r = 0; r < rounds; r++) {
        report("entry()", reads(journal, ns, seconds), seconds);
        report("commit()", commits(journal, ns, seconds, "c" + r), seconds);
      }
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(dir.resolve("bench.db" + suffix));
      }
    }
  }

  private static void report(String what, long[] counts, int seconds) {
    long count = Math.max(counts[0], 1);
    System.out.printf("%-9s %,9.0f /s  %,7.1f µs CPU each, %,6.1f µs of it on the writer%n",
        what, counts[0] / (double) seconds, counts[1] / 1_000.0 / count,
        counts[2] / 1_000.0 / count);
  }

  /** CPU time of the journal's writer thread, found by its name; 0 if there is none. */
  private static long writerCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
      if (t.getThreadName().equals("cairn-sqlite-writer")) {
        return Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return 0;
  }

  private static long[] reads(Journal journal, String ns, int seconds) throws Exception {
    return run(seconds, (caller, i) -> {
      String path = "/r" + ThreadLocalRandom.current().nextInt(FILES);
      if (await(journal.entry(ns, path)) == null) {
        throw new IllegalStateException(path + " is missing");
      }
    });
  }

  private static long[] commits(Journal journal, String ns, int seconds, String tag)
      throws Exception {
    return run(seconds, (caller, i) -> {
      String name = tag + "-" + caller + "-" + i;
      await(journal.commit(ns, put("/" + name, name), "bench"));
    });
  }

  private interface Op {
    void run(int caller, int i) throws Exception;
  }

  /** {count, process CPU ns, writer thread CPU ns} of {@link #CALLERS} virtual threads running {@code op} in a loop. */
  private static long[] run(int seconds, Op op) throws Exception {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    AtomicLong done = new AtomicLong();
    long writer0 = writerCpu();
    long cpu0 = os.getProcessCpuTime();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      int caller = c;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; System.nanoTime() < end; i++) {
            op.run(caller, i);
            done.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long cpu = os.getProcessCpuTime() - cpu0;
    return new long[] {done.get(), cpu, writerCpu() - writer0};
  }

  private static Change.Put put(String path, String seed) {
    return new Change.Put(path, 4096, "h-" + seed, JournalTestSupport.blocks(4096, seed), null,
        Expect.ANY);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
