package io.cairn.bench;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, figure 9: the journal at scale. A namespace of {@code cairn.bench.rows} journal rows
 * (10 million) over {@code cairn.bench.live} live files (1 million), generated straight into a
 * database the product's journal created and migrated ({@link ScaleNamespace}, {@link
 * ScaleLoaders}), against one of 1,000 files with one version each; on SQLite and PostgreSQL
 * ({@code cairn.bench.backends}). Through the {@link Journal} API: entry lookup of random live
 * paths, a Depth 1 listing (the children of a folder of 1,000 entries without blocklists, {@link
 * Journal#listing}, in pages of 500 like PROPFIND), a commit of a new version of an existing file
 * (what a PUT commits), and the same folder's pages with blocklists ({@link Journal#children},
 * what fsck or a zip download reads). Prints a
 * Markdown table with big/small ratios. Not a test (its name keeps it out of the default run):
 * {@code bench/journal-scale.sh} runs it. It asserts nothing about time.
 */
class JournalScaleStudy {
  private static final long ROWS = Long.getLong("cairn.bench.rows", 10_000_000);
  private static final long LIVE = Long.getLong("cairn.bench.live", 1_000_000);
  private static final String BACKENDS = System.getProperty("cairn.bench.backends", "sqlite,postgresql");
  /** Whether the current tree's rows are stored scattered, as commits over time leave them. */
  private static final boolean SCATTER =
      Boolean.parseBoolean(System.getProperty("cairn.bench.scatter", "true"));
  private static final int LOOKUPS = 2000;
  private static final int LISTINGS = 200;
  private static final int COMMITS = 500;
  /** Every measured loop stops after this many seconds, whatever its count. */
  private static final long LOOP_SECONDS = 90;
  private static final int PAGE = 500;
  /** Rounds of small and big measured in turn; each figure is the median over them. */
  private static final int ROUNDS = Integer.getInteger("cairn.bench.rounds", 3);

  private final List<String> lines = new ArrayList<>();

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private interface Op {
    void run(Random random) throws Exception;
  }

  /** p50 and p99 in microseconds: {@code n} timed runs after n/10 untimed, at most LOOP_SECONDS. */
  private static double[] time(int n, Op op) throws Exception {
    Random random = new Random(42);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOOP_SECONDS);
    for (int i = 0; i < n / 10 && System.nanoTime() < deadline; i++) {
      op.run(random);
    }
    long[] t = new long[n];
    int done = 0;
    while (done < n && System.nanoTime() < deadline) {
      long s = System.nanoTime();
      op.run(random);
      t[done++] = System.nanoTime() - s;
    }
    long[] got = Arrays.copyOf(t, done);
    Arrays.sort(got);
    if (done < n) {
      System.out.println("note: stopped after " + done + " of " + n + " runs (" + LOOP_SECONDS + " s)");
    }
    return new double[] {got[done / 2] / 1e3, got[Math.min(done - 1, done * 99 / 100)] / 1e3, done};
  }

  /** A page of a folder's children, as a listing or a walker reads it. */
  private interface PageRead {
    List<String> names(String dir, String after) throws Exception;
  }

  /** Every child of a random folder of exactly 1,000, in pages of PAGE: 10 pages at most. */
  private static double[] timeListing(List<Integer> thousands, PageRead read) throws Exception {
    return time(LISTINGS, r -> {
      String dir = ScaleNamespace.leafPath(thousands.get(r.nextInt(thousands.size())));
      int seen = 0;
      String after = null;
      for (int page = 0; page < 10; page++) {
        List<String> names = read.names(dir, after);
        seen += names.size();
        if (names.size() < PAGE) {
          break;
        }
        after = names.getLast();
      }
      if (seen != 1000) {
        throw new IllegalStateException(dir + " listed " + seen + " entries, not 1000");
      }
    });
  }

  /**
   * The figures of one namespace, each {p50, p99, runs}: lookup, listing ({@link Journal#listing},
   * what PROPFIND reads), commit, and the same pages read with blocklists ({@link
   * Journal#children}, what walkers such as fsck and zip downloads read).
   */
  private static double[][] measure(Journal journal, ScaleNamespace gen) throws Exception {
    List<Integer> thousands = gen.leavesOfSize(1000);
    long[] starts = starts(gen);
    double[] lookup = time(LOOKUPS, r -> {
      String path = randomFile(gen, starts, r);
      if (await(journal.entry(gen.ns, path)) == null) {
        throw new IllegalStateException("generated file missing: " + path);
      }
    });
    double[] listing = timeListing(thousands, (dir, after) ->
        await(journal.listing(gen.ns, dir, after, PAGE)).stream().map(e -> e.name()).toList());
    double[] children = timeListing(thousands, (dir, after) ->
        await(journal.children(gen.ns, dir, after, PAGE)).stream().map(e -> e.name()).toList());
    long[] n = {0};
    double[] commit = time(COMMITS, r -> {
      String path = randomFile(gen, starts, r);
      var hash = ScaleNamespace.hashOf(Long.MAX_VALUE / 2 + n[0]++);
      Blocklist blocks = new Blocklist(List.of(new BlockRef(hash, 4096)));
      await(journal.commit(gen.ns, new Change.Put(path, 4096, hash.hex(), blocks, null, Expect.ANY),
          ScaleNamespace.AUTHOR));
    });
    return new double[][] {lookup, listing, commit, children};
  }

  /**
   * The figures of both namespaces, measured in alternating rounds (small, big, small, big, ...)
   * after one untimed pass over the small one (JIT): on a shared machine the load changes over the
   * minutes a run takes, and measuring one namespace long after the other put that change into the
   * ratio. Each figure is the median over the rounds of the namespace's p50 (and p99); the ratio
   * of each round is printed as well.
   */
  private static double[][][] alternated(Journal small, ScaleNamespace s, Journal big, ScaleNamespace b)
      throws Exception {
    measure(small, s);
    double[][][][] rounds = new double[ROUNDS][][][];
    for (int r = 0; r < ROUNDS; r++) {
      rounds[r] = new double[][][] {measure(small, s), measure(big, b)};
      System.out.printf("round %d: ratio p50 lookup %.2f, listing %.2f, commit %.2f, children %.2f%n",
          r + 1, rounds[r][1][0][0] / rounds[r][0][0][0], rounds[r][1][1][0] / rounds[r][0][1][0],
          rounds[r][1][2][0] / rounds[r][0][2][0], rounds[r][1][3][0] / rounds[r][0][3][0]);
    }
    double[][][] medians = new double[2][4][2];
    for (int ns = 0; ns < 2; ns++) {
      for (int fig = 0; fig < 4; fig++) {
        for (int q = 0; q < 2; q++) {
          double[] v = new double[ROUNDS];
          for (int r = 0; r < ROUNDS; r++) {
            v[r] = rounds[r][ns][fig][q];
          }
          Arrays.sort(v);
          medians[ns][fig][q] = v[ROUNDS / 2];
        }
      }
    }
    return medians;
  }

  /** The number of the first file of each leaf folder. */
  private static long[] starts(ScaleNamespace gen) {
    long[] starts = new long[gen.leaves.size()];
    for (int l = 1; l < starts.length; l++) {
      starts[l] = starts[l - 1] + gen.leaves.get(l - 1);
    }
    return starts;
  }

  private static String randomFile(ScaleNamespace gen, long[] starts, Random r) {
    long f = (long) (r.nextDouble() * gen.live);
    int leaf = Arrays.binarySearch(starts, f);
    leaf = leaf >= 0 ? leaf : -leaf - 2;
    while (gen.leaves.get(leaf) == 0) {
      leaf--;
    }
    return ScaleNamespace.leafPath(leaf) + "/" + ScaleNamespace.fileName((int) (f - starts[leaf]));
  }

  private Path generateSqlite(Path dir, ScaleNamespace gen) throws Exception {
    Path file = dir.resolve(gen.ns + ".db");
    try (Journal j = SqliteJournal.open(file, Clock.systemUTC())) {
      await(j.createNamespace(gen.ns));
    }
    long start = System.nanoTime();
    var totals = ScaleLoaders.loadSqlite(file, gen);
    report("sqlite", gen, totals, start, Files.size(file));
    return file;
  }

  private double[][][] sqlite(Path dir, ScaleNamespace small, ScaleNamespace big) throws Exception {
    Path smallFile = generateSqlite(dir, small);
    Path bigFile = generateSqlite(dir, big);
    double[][][] figures;
    try (Journal s = SqliteJournal.open(smallFile, Clock.systemUTC());
        Journal b = SqliteJournal.open(bigFile, Clock.systemUTC())) {
      figures = alternated(s, small, b, big);
    }
    long[] starts = starts(big);
    Random random = new Random(43);
    ScaleDiagnosis.sqlite(bigFile, big.ns, i -> randomFile(big, starts, random));
    return figures;
  }

  private String generatePostgres(Vertx vertx, ScaleNamespace gen) throws Exception {
    String uri = PostgresServer.shared().newDatabase();
    try (Journal j = await(PgJournal.open(vertx, uri, Clock.systemUTC(), 4))) {
      await(j.createNamespace(gen.ns));
    }
    long start = System.nanoTime();
    var totals = ScaleLoaders.loadPostgres(uri, gen);
    report("postgresql", gen, totals, start, -1);
    return uri;
  }

  private double[][][] postgres(Vertx vertx, ScaleNamespace small, ScaleNamespace big) throws Exception {
    String smallUri = generatePostgres(vertx, small);
    String bigUri = generatePostgres(vertx, big);
    double[][][] figures;
    try (Journal s = await(PgJournal.open(vertx, smallUri, Clock.systemUTC(), 4));
        Journal b = await(PgJournal.open(vertx, bigUri, Clock.systemUTC(), 4))) {
      figures = alternated(s, small, b, big);
    }
    ScaleDiagnosis.postgres(bigUri, big.ns, ScaleNamespace.leafPath(big.leavesOfSize(1000).get(0)));
    return figures;
  }

  private void report(String backend, ScaleNamespace gen, ScaleNamespace.Totals totals, long start, long bytes) {
    double seconds = (System.nanoTime() - start) / 1e9;
    String line = String.format("generated %s %s: %,d journal rows, %,d live files, %,d folders in %.0f s (%,.0f rows/s)%s",
        backend, gen.ns, totals.rows(), totals.liveFiles(), gen.leaves.size(), seconds,
        totals.rows() / seconds, bytes < 0 ? "" : String.format(", %,d MiB", bytes >> 20));
    System.out.println(line);
    lines.add(line);
  }

  @Test
  void journalAtScale() throws Exception {
    Path dir = Files.createTempDirectory("cairn-journal-scale");
    Vertx vertx = Vertx.vertx();
    System.out.printf("| backend | figure | 1,002 rows p50 / p99 µs | %,d rows p50 / p99 µs | ratio p50 / p99 | within 2× |%n", ROWS);
    System.out.println("|---|---|---|---|---|---|");
    try {
      for (String backend : BACKENDS.split(",")) {
        ScaleNamespace small = new ScaleNamespace("small", 1000, 1000, SCATTER);
        ScaleNamespace big = new ScaleNamespace("big", ROWS, LIVE, SCATTER);
        boolean sqlite = backend.trim().equals("sqlite");
        double[][][] both = sqlite ? sqlite(dir, small, big) : postgres(vertx, small, big);
        double[][] s = both[0];
        double[][] b = both[1];
        String[] names = {"entry lookup", "Depth 1 listing (1,000 entries)", "commit (new version)",
            "children with blocklists (1,000 entries)"};
        for (int i = 0; i < 4; i++) {
          double p50 = b[i][0] / s[i][0];
          double p99 = b[i][1] / s[i][1];
          System.out.println(String.format("| %s | %s | %.0f / %.0f | %.0f / %.0f | %.2f / %.2f | %s |",
              sqlite ? "SQLite" : "PostgreSQL", names[i], s[i][0], s[i][1], b[i][0], b[i][1], p50, p99,
              p50 <= 2 && p99 <= 2 ? "yes" : "**no**"));
        }
        for (Path f : Files.list(dir).toList()) {
          Files.delete(f);
        }
      }
    } finally {
      vertx.close();
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
