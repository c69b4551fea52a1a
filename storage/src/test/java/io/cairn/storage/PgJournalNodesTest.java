package io.cairn.storage;

import static io.cairn.storage.JournalTestSupport.await;
import static io.cairn.storage.JournalTestSupport.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only PostgreSQL has to get right: several server nodes (here: journals with pools and Vert.x
 * instances of their own) on one database, schema migrations when nodes start together, and
 * failures of the database itself.
 */
class PgJournalNodesTest {
  private static final int NODES = 3;
  private static final int CLIENTS = 16;

  private static Vertx vertx;
  private final List<Journal> opened = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @AfterEach
  void closeJournals() {
    opened.forEach(Journal::close);
    opened.clear();
  }

  /** {@code count} journals on {@code uri}, opened at once like nodes starting together. */
  private List<Journal> startNodes(String uri, int count) {
    List<Future<PgJournal>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opening.add(PgJournal.open(null, uri, Clock.systemUTC(), 8));
    }
    List<Journal> nodes = new ArrayList<>();
    for (Future<PgJournal> f : opening) {
      nodes.add(await(f));
    }
    opened.addAll(nodes);
    return nodes;
  }

  @Test
  void nodesStartingTogetherApplyEachMigrationOnce() throws Exception {
    String uri = PostgresServer.shared().newDatabase();
    startNodes(uri, 4);
    List<Row> versions = query(uri, "SELECT version, script FROM schema_version ORDER BY version");
    List<String> scripts = migrationScripts();
    assertEquals(scripts, versions.stream().map(r -> r.getString(1)).toList());
    assertEquals(
        scripts.stream().map(s -> Long.parseLong(s.substring(1, s.indexOf("__")))).toList(),
        versions.stream().map(r -> (long) r.getInteger(0)).toList());
    closeJournals();
    startNodes(uri, 1);
    assertEquals(scripts.size(), query(uri, "SELECT * FROM schema_version").size());
  }

  @Test
  void migrationV4BackfillsChunkReferencesFromAJournalWrittenBefore() {
    String uri = PostgresServer.shared().newDatabase();
    Journal journal = startNodes(uri, 1).getFirst();
    await(journal.createNamespace("n"));
    Blocklist blocks = JournalTestSupport.blocks(4, "one", "two");
    await(journal.commit("n", new Change.Put("/f", 8, "h", blocks, null, Expect.ANY), "a"));
    await(journal.commit("n", new Change.Delete("/f", Expect.ANY), "a"));
    closeJournals();
    // Back to schema version 3: the journal's rows stay, V5's columns and V4's tables go.
    downgradeToV4(uri);
    query(uri, "DROP TABLE chunk_refs, chunk_uploads, trash_roots, trash_entries");
    query(uri, "DELETE FROM schema_version WHERE version = 4");
    journal = startNodes(uri, 1).getFirst();
    Set<ChunkHash> both = Set.of(blocks.blocks().get(0).hash(), blocks.blocks().get(1).hash());
    assertEquals(both, await(journal.referenced(List.of("n"), both)));
    assertEquals(List.of(), await(journal.trash("n", "/", 10)), "nothing was trashed before V4");
  }

  @Test
  void migrationV5BackfillsFileIdsTreeVersionsAndTreeSizes() {
    String uri = PostgresServer.shared().newDatabase();
    TreeMigrationScenario.write(startNodes(uri, 1).getFirst());
    closeJournals();
    downgradeToV4(uri);
    TreeMigrationScenario.checkMigrated(startNodes(uri, 1).getFirst());
  }

  @Test
  void migrationV12MakesTheIndexByParentCoverTheListingAndKeepsEveryListing() {
    String uri = PostgresServer.shared().newDatabase();
    Journal before = startNodes(uri, 1).getFirst();
    TreeMigrationScenario.write(before);
    List<String> dirs = List.of("/", "/d", "/d/e", "/h");
    Map<String, List<Entry>> children = new HashMap<>();
    dirs.forEach(d -> children.put(d, await(before.children("n", d, null, 100))));
    closeJournals();
    downgradeToV11(uri);
    assertEquals(List.of(), query(uri, INCLUDED_BY_PARENT), "version 11's index includes nothing");
    Journal journal = startNodes(uri, 1).getFirst();
    assertEquals(
        List.of("kind", "size", "mtime", "content_hash", "version", "created", "file_id", "tree_version", "tree_size"),
        query(uri, INCLUDED_BY_PARENT).stream().map(r -> r.getString(0)).toList());
    for (String dir : dirs) {
      assertEquals(children.get(dir), await(journal.children("n", dir, null, 100)), "children of " + dir);
      assertEquals(children.get(dir).stream().map(Entry::listed).toList(),
          await(journal.listing("n", dir, null, 100)), "listing of " + dir);
    }
  }

  /** The columns entries_by_parent holds besides its key, in order. */
  private static final String INCLUDED_BY_PARENT = "SELECT a.attname::text FROM pg_index i"
      + " CROSS JOIN generate_series(i.indnkeyatts, i.indnatts - 1) AS k(n)"
      + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n]"
      + " WHERE i.indexrelid = 'entries_by_parent'::regclass ORDER BY k.n";

  /** Back to version 11: the index by parent without the listing's columns. */
  private void downgradeToV11(String uri) {
    query(uri, "DROP INDEX entries_by_parent");
    query(uri, "CREATE INDEX entries_by_parent ON entries (ns, parent, name)");
    query(uri, "DELETE FROM schema_version WHERE version = 12");
  }

  private void downgradeToV4(String uri) {
    downgradeToV11(uri);
    TreeMigrationScenario.DOWNGRADE.forEach(statement -> query(uri, statement));
    query(uri, "DROP SEQUENCE file_ids");
  }

  @Test
  void aDatabaseNewerThanThisBuildIsRefused() {
    String uri = PostgresServer.shared().newDatabase();
    startNodes(uri, 1);
    query(uri, "INSERT INTO schema_version (version, script) VALUES (9999, 'V9999__future.sql')");
    assertEquals(
        CairnException.Kind.INTERNAL,
        failureOf(PgJournal.open(vertx, uri, Clock.systemUTC(), 2)));
  }

  @Test
  void anUnreachableDatabaseIsTransient() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String uri = "postgresql://postgres@127.0.0.1:" + port + "/nothing";
    assertEquals(
        CairnException.Kind.TRANSIENT,
        failureOf(PgJournal.open(vertx, uri, Clock.systemUTC(), 2)));
  }

  @Test
  void commitsFromSeveralNodesTakeGapFreeJidsInCommitOrder() throws Exception {
    List<Journal> nodes = startNodes(PostgresServer.shared().newDatabase(), NODES);
    String ns = "shared";
    await(nodes.get(0).createNamespace(ns));
    int perClient = 25;
    ConcurrentLinkedQueue<JournalRow> rows = new ConcurrentLinkedQueue<>();
    List<List<Long>> perClientJids = Collections.synchronizedList(new ArrayList<>());
    runClients(
        client -> {
          Journal node = nodes.get(client % NODES);
          List<Long> mine = new ArrayList<>();
          for (int k = 0; k < perClient; k++) {
            Change c =
                k % 5 == 4
                    ? new Change.Mkdir("/d" + client + "-" + k)
                    : JournalTestSupport.put("/f" + client + "-" + k, k + 1);
            JournalRow r = await(node.commit(ns, c, "client" + client));
            rows.add(r);
            mine.add(r.jid());
          }
          perClientJids.add(mine);
        });
    int total = CLIENTS * perClient;
    List<Long> jids = rows.stream().map(JournalRow::jid).sorted().toList();
    assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), jids);
    for (List<Long> mine : perClientJids) {
      // One client's commits follow each other, so their jids must too.
      assertEquals(mine.stream().sorted().toList(), mine);
    }
    for (Journal node : nodes) {
      List<JournalRow> changes = await(node.changes(ns, 0, total + 10));
      List<JournalRow> sorted =
          rows.stream().sorted((a, b) -> Long.compare(a.jid(), b.jid())).toList();
      assertEquals(sorted, changes);
    }
    long bytes = 0;
    for (int k = 0; k < perClient; k++) {
      bytes += k % 5 == 4 ? 0 : k + 1;
    }
    assertEquals(new NamespaceInfo(ns, total, CLIENTS * bytes), await(nodes.get(2).namespace(ns)));
  }

  @Test
  void optimisticOverwritesFromSeveralNodesNeverLoseAnUpdate() throws Exception {
    List<Journal> nodes = startNodes(PostgresServer.shared().newDatabase(), NODES);
    String ns = "hot";
    await(nodes.get(0).createNamespace(ns));
    await(nodes.get(0).commit(ns, JournalTestSupport.put("/counter", 1), null));
    AtomicInteger won = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    runClients(
        client -> {
          Journal node = nodes.get(client % NODES);
          for (int k = 0; k < 10; k++) {
            Entry seen = await(node.entry(ns, "/counter"));
            Expect expect = Expect.version(seen.version());
            Change c =
                JournalTestSupport.put("/counter", seen.size() + 1, "c" + client + "-" + k, expect);
            Future<JournalRow> f = node.commit(ns, c, null);
            try {
              await(f);
              won.incrementAndGet();
            } catch (AssertionError e) {
              assertEquals(CairnException.Kind.PRECONDITION_FAILED, failureOf(f));
              lost.incrementAndGet();
            }
          }
        });
    assertEquals(CLIENTS * 10, won.get() + lost.get());
    assertTrue(won.get() > 0);
    Entry last = await(nodes.get(1).entry(ns, "/counter"));
    // Each win read the size the previous win wrote: a lost update would leave the size short.
    assertEquals(1 + won.get(), last.size());
    assertEquals(1 + won.get(), last.version());
    assertEquals(1 + won.get(), await(nodes.get(2).namespace(ns)).lastJid());
  }

  @Test
  void aPatchRacingADeleteLeavesNoPropertiesBehind() throws Exception {
    String uri = PostgresServer.shared().newDatabase();
    List<Journal> nodes = startNodes(uri, 2);
    String ns = "race";
    await(nodes.get(0).createNamespace(ns));
    PropertyName name = new PropertyName("urn:x", "p");
    for (int round = 0; round < 30; round++) {
      await(nodes.get(0).commit(ns, JournalTestSupport.put("/p", 1), null));
      Future<Void> patch =
          nodes.get(1).patchProperties(ns, "/p", List.of(new PropertyChange(name, "v" + round)));
      await(nodes.get(0).commit(ns, new Change.Delete("/p", Expect.ANY), null));
      try {
        await(patch);
      } catch (AssertionError e) {
        assertEquals(CairnException.Kind.NOT_FOUND, failureOf(patch));
      }
      await(nodes.get(0).commit(ns, JournalTestSupport.put("/p", 1), null));
      assertEquals(java.util.Map.of(), await(nodes.get(1).properties(ns, "/p")), "round " + round);
      await(nodes.get(0).commit(ns, new Change.Delete("/p", Expect.ANY), null));
    }
    assertEquals(0L, query(uri, "SELECT count(*) FROM properties").get(0).getLong(0));
  }

  @Test
  void valuesPostgresqlCannotStoreAreConflicts() {
    Journal journal = startNodes(PostgresServer.shared().newDatabase(), 1).get(0);
    await(journal.createNamespace("v"));
    await(journal.commit("v", JournalTestSupport.put("/f", 1), null));
    PropertyChange nul = new PropertyChange(new PropertyName("", "p"), "a\0b");
    assertEquals(
        CairnException.Kind.CONFLICT, failureOf(journal.patchProperties("v", "/f", List.of(nul))));
    for (String t : List.of("+1000000000-12-31T23:59:59Z", "+294277-01-01T00:00:00Z",
        "-4713-12-31T23:59:59Z")) {
      Change c = new Change.Put("/g", 0, "h", Blocklist.EMPTY, java.time.Instant.parse(t), null);
      assertEquals(CairnException.Kind.CONFLICT, failureOf(journal.commit("v", c, null)), t);
    }
    for (String t : List.of("+294276-12-31T23:59:59.999Z", "-4712-01-01T00:00:00Z")) {
      java.time.Instant mtime = java.time.Instant.parse(t);
      Change c = new Change.Put("/g", 0, "h", Blocklist.EMPTY, mtime, null);
      assertEquals(mtime, await(journal.commit("v", c, null)).mtime(), t);
      assertEquals(mtime, await(journal.entry("v", "/g")).mtime(), t);
    }
    assertEquals(3, await(journal.namespace("v")).lastJid());
    assertEquals(java.util.Map.of(), await(journal.properties("v", "/f")));
  }

  /** Runs {@code body} for clients 0..CLIENTS-1 at once, each on a thread of its own. */
  static void runClients(ClientBody body) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        done.add(pool.submit(() -> body.run(client)));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    }
  }

  interface ClientBody {
    void run(int client);
  }

  /** The V*.sql scripts this build ships, in version order. */
  private static List<String> migrationScripts() throws IOException, URISyntaxException {
    Path dir = Path.of(PgJournal.class.getClassLoader().getResource("db/pg").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .sorted((a, b) -> Integer.compare(version(a), version(b)))
          .toList();
    }
  }

  private static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  /** Runs one statement on its own connection; the rows it returns. */
  static List<Row> query(String uri, String sql) {
    PgConnectOptions options = PgConnectOptions.fromUri(uri);
    if (options.getPassword() == null) {
      options.setPassword("");
    }
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1))
            .connectingTo(options)
            .using(vertx)
            .build();
    try {
      List<Row> rows = new ArrayList<>();
      await(pool.query(sql).execute()).forEach(rows::add);
      return rows;
    } finally {
      await(pool.close());
    }
  }
}
