package io.cairn.storage;

import io.cairn.core.Blocklist;
import io.cairn.storage.sqlite.SqliteJournal;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commit throughput of {@link SqliteJournal} with one client and with many concurrent ones, each
 * client committing puts one after another. Not a test: run it by hand (see docs/adr/0001) and
 * compare the rates of one run; the ratio shows what group commit buys under fsync.
 *
 * <p>Arguments: seconds per measurement (default 5), directory (default a new temp dir), folder
 * depth (default 0: puts in the root; n: puts in /d1/d2/…/dn, so that each commit also updates
 * the tree version and size of n folders, docs/adr/0009).
 */
public final class SqliteJournalBench {
  private SqliteJournalBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("cairn-bench");
    int depth = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    try (Journal journal = SqliteJournal.open(dir.resolve("bench.db"), Clock.systemUTC())) {
      for (int clients : new int[] {1, 16, 1, 16}) {
        String ns = "bench-" + System.nanoTime();
        journal.createNamespace(ns).await(10, TimeUnit.SECONDS);
        String folder = "";
        for (int d = 1; d <= depth; d++) {
          folder += "/d" + d;
          journal.commit(ns, new Change.Mkdir(folder), "bench").await(10, TimeUnit.SECONDS);
        }
        long count = run(journal, ns, folder, clients, seconds);
        System.out.printf("%2d clients: %,8d commits in %d s = %,7.0f commits/s%n",
            clients, count, seconds, count / (double) seconds);
      }
    }
  }

  private static long run(Journal journal, String ns, String folder, int clients, int seconds)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; System.nanoTime() < end; i++) {
          Blocklist bl = JournalTestSupport.blocks(1024, client + "-" + i);
          String path = folder + "/c" + client + "-" + i;
          Change put = new Change.Put(path, 1024, "h", bl, null, Expect.ANY);
          Future<JournalRow> f = journal.commit(ns, put, "bench");
          try {
            f.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          done.incrementAndGet();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return done.get();
  }
}
