package io.cairn.cluster.cache;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.map.IMap;
import io.cairn.cluster.node.TestMembers;
import io.cairn.core.Blocklist;
import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The measurements behind docs/adr/0005-metadata-near-cache.md. Not a test (its name keeps it out
 * of the default run): {@code bench/near-cache.sh} runs it and it prints Markdown tables. It
 * asserts nothing about time.
 */
class NearCacheStudy {
  private static final int N = Integer.getInteger("cairn.bench.n", 2000);

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private interface Op {
    void run(int i) throws Exception;
  }

  /** p50 and p99 in microseconds of {@code op}, after a warm-up of N/4 runs. */
  private static String time(Op op) throws Exception {
    for (int i = 0; i < N / 4; i++) {
      op.run(i);
    }
    long[] t = new long[N];
    for (int i = 0; i < N; i++) {
      long s = System.nanoTime();
      op.run(i);
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    return String.format("%8.1f | %8.1f", t[N / 2] / 1e3, t[N * 99 / 100] / 1e3);
  }

  @Test
  void journalReadsWithAndWithoutTheCache() throws Exception {
    String uri = PostgresServer.shared().newDatabase();
    Vertx vertx = Vertx.vertx();
    try (Journal raw = await(PgJournal.open(vertx, uri, Clock.systemUTC(), 4))) {
      CachingJournal cached = new CachingJournal(await(PgJournal.open(vertx, uri, Clock.systemUTC(), 4)), 100_000);
      await(raw.createNamespace("ns"));
      await(raw.commit("ns", new Change.Mkdir("/dir"), null));
      for (int i = 0; i < 100; i++) {
        await(raw.commit("ns", new Change.Put("/dir/f" + i, 1, "h" + i, Blocklist.EMPTY, null, Expect.ANY), null));
      }
      System.out.println("| read (PostgreSQL, 100-entry directory) | p50 µs | p99 µs |");
      System.out.println("|---|---|---|");
      System.out.println("| namespace() (the freshness check) | " + time(i -> await(raw.namespace("ns"))) + " |");
      System.out.println("| entry(), no cache | " + time(i -> await(raw.entry("ns", "/dir/f" + i % 100))) + " |");
      System.out.println("| entry(), cache hit | " + time(i -> await(cached.entry("ns", "/dir/f" + i % 100))) + " |");
      System.out.println("| children(), no cache | " + time(i -> await(raw.children("ns", "/dir", null, 1000))) + " |");
      System.out.println("| children(), cache hit | " + time(i -> await(cached.children("ns", "/dir", null, 1000))) + " |");
      System.out.println(
          "| entry() after a commit by another node (catch-up + miss) | "
              + time(
                  i -> {
                    await(raw.commit("ns", new Change.Put("/dir/f" + i % 100, 2, "g" + i, Blocklist.EMPTY, null, Expect.ANY), null));
                    long s = System.nanoTime();
                    await(cached.entry("ns", "/dir/f" + i % 100));
                  })
              + " | (includes the commit) |");
      System.out.println("hits " + cached.hits() + ", misses " + cached.misses());
      cached.close();
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void hazelcastNearCacheStaleness() throws Exception {
    staleness("default invalidation (batched)", false);
    staleness("invalidation batching off", true);
  }

  private static void staleness(String label, boolean unbatched) throws Exception {
    int rounds = 50;
    try (TestMembers members =
        TestMembers.start(
            2,
            c -> {
              if (unbatched) {
                c.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
              }
              c.addMapConfig(
                  new com.hazelcast.config.MapConfig("entries")
                      .setNearCacheConfig(
                          new NearCacheConfig("entries")
                              .setInMemoryFormat(InMemoryFormat.OBJECT)
                              .setInvalidateOnChange(true)));
            })) {
      IMap<String, String> a = members.member(0).getMap("entries");
      IMap<String, String> b = members.member(1).getMap("entries");
      for (int k = 0; k < 100; k++) {
        a.put("k" + k, "v0");
        b.get("k" + k);
      }
      int stale = 0;
      long[] until = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        String key = "k" + i % 100;
        String value = "v" + (i + 1);
        b.get(key);
        a.set(key, value);
        long s = System.nanoTime();
        if (!value.equals(b.get(key))) {
          stale++;
          while (!value.equals(b.get(key)) && System.nanoTime() - s < 12_000_000_000L) {
            Thread.sleep(0, 100_000);
          }
        }
        until[i] = System.nanoTime() - s;
      }
      Arrays.sort(until);
      System.out.printf(
          "Hazelcast near cache, %s: %d of %d reads on member B right after set() returned on A"
              + " were stale; until B served the new value: p50 %.1f µs, p99 %.1f µs, max %.1f ms%n",
          label, stale, rounds, until[rounds / 2] / 1e3, until[rounds * 99 / 100] / 1e3,
          until[rounds - 1] / 1e6);
      System.out.println("| near-cached IMap get, hit on B (" + label + ") | " + time(i -> b.get("k" + i % 100)) + " |");
      System.out.println("| plain IMap get from B (no near cache) | " + time(i -> members.member(1).getMap("plain").get("k" + i % 100)) + " |");
    }
  }
}
