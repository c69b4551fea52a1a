package io.cairn.storage;

import static io.cairn.storage.JournalTestSupport.await;
import static io.cairn.storage.JournalTestSupport.blocks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.storage.sqlite.SqliteUserStore;
import io.cairn.storage.users.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is SQLite's own beyond the journal contract: URIs, files, schema, threads, closing. */
class SqliteJournalTest {
  @TempDir Path dir;

  @Test
  void sqliteUrisNameAFile() {
    assertEquals(Path.of("/srv/cairn/j.db"), SqliteJournal.pathOf("sqlite:/srv/cairn/j.db"));
    assertEquals(Path.of("/var/j.db"), SqliteJournal.pathOf("sqlite:///var/j.db"));
    assertEquals(Path.of("data/j.db"), SqliteJournal.pathOf("sqlite:data/j.db"));
    for (String bad : new String[] {"sqlite:", "sqlite://host/j.db", "sqlite::memory:",
        "postgresql://localhost/db", "file:/j.db"}) {
      assertThrows(IllegalArgumentException.class, () -> SqliteJournal.pathOf(bad), bad);
    }
  }

  @Test
  void openCreatesDirectoriesAndRecordsTheSchemaVersionOnce() throws Exception {
    Path file = dir.resolve("a/b/journal.db");
    SqliteJournal.open(file).close();
    assertTrue(Files.isRegularFile(file));
    SqliteJournal.open("sqlite:" + file, java.time.Clock.systemUTC()).close();
    assertEquals("1,2,3,4,5,6,7,8,9,10,11", query(file, "SELECT group_concat(version) FROM schema_version"));
    assertEquals("wal", query(file, "PRAGMA journal_mode"));
  }

  @Test
  void aReadOnlyJournalReadsBesideTheWriterAndRefusesEveryWrite() throws Exception {
    Path file = dir.resolve("ro/journal.db");
    try (SqliteJournal writer = SqliteJournal.open(file)) {
      await(writer.createNamespace("n"));
      await(writer.commit("n", new io.cairn.storage.Change.Mkdir("/d"), null));
      try (SqliteJournal reader = SqliteJournal.openReadOnly(file, java.time.Clock.systemUTC())) {
        assertEquals(List.of("n"), await(reader.namespaces(null, 10)));
        await(writer.commit("n", new io.cairn.storage.Change.Mkdir("/e"), null));
        assertEquals(2, await(reader.changes("n", 0, 10)).size(), "sees the writer's later commits");
        assertThrows(AssertionError.class, // await fails on a failed future
            () -> await(reader.commit("n", new io.cairn.storage.Change.Mkdir("/f"), null)));
        assertThrows(AssertionError.class, () -> await(reader.createNamespace("m")));
      }
      assertEquals(2, await(writer.changes("n", 0, 10)).size());
    }
    Path missing = dir.resolve("ro/none.db");
    assertThrows(CairnException.class, () -> SqliteJournal.openReadOnly(missing, java.time.Clock.systemUTC()));
    assertFalse(Files.exists(missing), "nothing is created");
  }

  @Test
  void aDatabaseFromANewerBuildIsRefused() throws Exception {
    Path file = dir.resolve("journal.db");
    SqliteJournal.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version VALUES (99, 'V99__future.sql', 0)");
    }
    CairnException e = assertThrows(CairnException.class, () -> SqliteJournal.open(file));
    assertEquals(CairnException.Kind.INTERNAL, e.kind());
  }

  @Test
  void migrationV4BackfillsChunkReferencesFromAJournalWrittenBefore() throws Exception {
    Path file = dir.resolve("journal.db");
    Journal journal = SqliteJournal.open(file);
    await(journal.createNamespace("n"));
    Blocklist blocks = blocks(4, "one", "two");
    await(journal.commit("n", new Change.Put("/f", 8, "h", blocks, null, Expect.ANY), "a"));
    await(journal.commit("n", new Change.Delete("/f", Expect.ANY), "a"));
    journal.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      // Back to schema version 3: the journal's rows stay, V5's columns and V4's tables go.
      downgradeToV4(s);
      for (String table : List.of("chunk_refs", "chunk_uploads", "trash_roots", "trash_entries")) {
        s.execute("DROP TABLE " + table);
      }
      s.execute("DELETE FROM schema_version WHERE version = 4");
    }
    journal = SqliteJournal.open(file);
    try {
      Set<ChunkHash> both = Set.of(blocks.blocks().get(0).hash(), blocks.blocks().get(1).hash());
      assertEquals(both, await(journal.referenced(List.of("n"), both)));
      assertEquals(List.of(), await(journal.trash("n", "/", 10)), "nothing was trashed before V4");
    } finally {
      journal.close();
    }
  }

  @Test
  void migrationV5BackfillsFileIdsTreeVersionsAndTreeSizes() throws Exception {
    Path file = dir.resolve("journal.db");
    Journal journal = SqliteJournal.open(file);
    TreeMigrationScenario.write(journal);
    journal.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      downgradeToV4(s);
    }
    journal = SqliteJournal.open(file);
    try {
      TreeMigrationScenario.checkMigrated(journal);
    } finally {
      journal.close();
    }
  }

  /** Ids come from a counter: neither deleting the newest entry nor a VACUUM brings one back. */
  @Test
  void fileIdsAreNotHandedOutAgainAfterADeleteAndAVacuum() throws Exception {
    Path file = dir.resolve("journal.db");
    Journal journal = SqliteJournal.open(file);
    await(journal.createNamespace("n"));
    await(journal.commit("n", JournalTestSupport.put("/a", 1), "a"));
    await(journal.commit("n", JournalTestSupport.put("/b", 1), "a"));
    long b = await(journal.entry("n", "/b")).fileId();
    await(journal.commit("n", new Change.Delete("/b", Expect.ANY), "a"));
    journal.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("VACUUM");
    }
    journal = SqliteJournal.open(file);
    try {
      await(journal.commit("n", JournalTestSupport.put("/c", 1), "a"));
      long c = await(journal.entry("n", "/c")).fileId();
      assertTrue(c > b, "new id " + c + " after the deleted " + b);
    } finally {
      journal.close();
    }
  }

  /**
   * A journal written before schema version 11 kept its entries in a rowid table with an index by
   * parent; V11 rebuilds it keyed by (ns, parent, name). Everything a user reads and every commit
   * that rewrites a subtree must come through unchanged.
   */
  @Test
  void migrationV11KeepsTheTreeOfAVersion10Database() throws Exception {
    Path file = dir.resolve("journal.db");
    Journal journal = SqliteJournal.open(file);
    TreeMigrationScenario.write(journal);
    List<Entry> before = await(journal.entriesByPath("n", null, 100));
    List<Entry> childrenBefore = await(journal.children("n", "/d", null, 100));
    journal.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      downgradeToV10(s);
      assertEquals("10", query(file, "SELECT max(version) FROM schema_version"));
    }
    journal = SqliteJournal.open(file);
    try {
      assertEquals("1,2,3,4,5,6,7,8,9,10,11",
          query(file, "SELECT group_concat(version) FROM schema_version"));
      assertEquals(before, await(journal.entriesByPath("n", null, 100)));
      assertEquals(childrenBefore, await(journal.children("n", "/d", null, 100)));
      assertEquals(List.of("g"),
          await(journal.children("n", "/d", "e", 10)).stream().map(Entry::name).toList(),
          "a page after a name");
      Entry f = await(journal.entry("n", "/d/e/f"));
      assertEquals("/d/e/f", await(journal.pathOf("n", f.fileId())));
      // A move, a copy and a delete of a subtree rewrite rows found by path range.
      await(journal.commit("n", new Change.Move("/d", "/moved", false, Expect.ANY), "a"));
      await(journal.commit("n", new Change.Copy("/moved", "/copy", false, true), "a"));
      await(journal.commit("n", new Change.Delete("/moved/e", Expect.ANY), "a"));
      assertEquals(List.of("/copy", "/copy/e", "/copy/e/f", "/copy/g", "/h", "/moved",
              "/moved/g", "/top"),
          await(journal.entriesByPath("n", null, 100)).stream().map(Entry::path).toList());
      assertEquals(List.of("f"),
          await(journal.children("n", "/copy/e", null, 10)).stream().map(Entry::name).toList());
      assertEquals(15, await(journal.entry("n", "/copy")).treeSize());
      assertEquals(5, await(journal.entry("n", "/moved")).treeSize());
    } finally {
      journal.close();
    }
  }

  /** Takes a database back to schema version 10: entries a rowid table again, rows kept. */
  private static void downgradeToV10(Statement s) throws SQLException {
    s.execute("CREATE TABLE entries_v10 (ns TEXT NOT NULL, path TEXT NOT NULL, parent TEXT NOT NULL,"
        + " name TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
        + " content_hash TEXT, blocklist BLOB, version INTEGER NOT NULL, created INTEGER NOT NULL,"
        + " file_id INTEGER NOT NULL DEFAULT 0, tree_version INTEGER NOT NULL DEFAULT 0,"
        + " tree_size INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (ns, path))");
    s.execute("INSERT INTO entries_v10 SELECT ns, path, parent, name, kind, size, mtime,"
        + " content_hash, blocklist, version, created, file_id, tree_version, tree_size FROM entries");
    s.execute("DROP TABLE entries");
    s.execute("ALTER TABLE entries_v10 RENAME TO entries");
    s.execute("CREATE INDEX entries_by_parent ON entries (ns, parent, name)");
    s.execute("CREATE INDEX entries_by_file_id ON entries (ns, file_id)");
    s.execute("DELETE FROM schema_version WHERE version = 11");
  }

  private static void downgradeToV4(Statement s) throws SQLException {
    downgradeToV10(s);
    s.execute("DROP TABLE file_id_counter");
    for (String statement : TreeMigrationScenario.DOWNGRADE) {
      s.execute(statement);
    }
  }

  @Test
  void callsAfterCloseFailAsTransient() {
    Journal journal = SqliteJournal.open(dir.resolve("journal.db"));
    journal.close();
    journal.close();
    assertEquals(CairnException.Kind.TRANSIENT,
        JournalTestSupport.failureOf(journal.createNamespace("n")));
    assertEquals(CairnException.Kind.TRANSIENT,
        JournalTestSupport.failureOf(journal.namespace("n")));
  }

  @Test
  void futuresCompleteOnTheCallersContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Journal journal = SqliteJournal.open(dir.resolve("journal.db"))) {
      Context context = vertx.getOrCreateContext();
      CompletableFuture<Context> write = new CompletableFuture<>();
      CompletableFuture<Context> read = new CompletableFuture<>();
      context.runOnContext(v -> journal.createNamespace("n")
          .onComplete(ar -> write.complete(Vertx.currentContext()))
          .compose(x -> journal.namespace("n"))
          .onComplete(ar -> read.complete(Vertx.currentContext())));
      assertSame(context, write.get(30, TimeUnit.SECONDS));
      assertSame(context, read.get(30, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Writes queued together run as one batch, each in its own savepoint: failed writes among them
   * leave no gap in the jids and no bytes counted, and the counters survive a reopen.
   */
  @Test
  void countersStayExactThroughBatchesWithFailedWrites() throws Exception {
    Path file = dir.resolve("journal.db");
    int writes = 300;
    try (Journal journal = SqliteJournal.open(file)) {
      JournalTestSupport.await(journal.createNamespace("a"));
      List<Future<JournalRow>> commits = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        String ns = i % 2 == 0 ? "a" : "b";
        if (i == 1) {
          commits.add(journal.createNamespace("b").map(v -> null));
        } else if (i % 7 == 0) {
          commits.add(journal.commit(ns, JournalTestSupport.put("/missing/f" + i, 5), null));
        } else {
          commits.add(journal.commit(ns, JournalTestSupport.put("/f" + i, i), null));
        }
      }
      for (int i = 0; i < writes; i++) {
        CairnException.Kind failure = JournalTestSupport.outcome(commits.get(i));
        // Every /missing/ parent is absent; all other writes apply.
        assertEquals(i % 7 == 0 ? CairnException.Kind.CONFLICT : null, failure, "write " + i);
      }
      for (String ns : new String[] {"a", "b"}) {
        int parity = ns.equals("a") ? 0 : 1;
        List<Long> jids = new ArrayList<>();
        long bytes = 0;
        for (int i = parity; i < writes; i += 2) {
          if (i != 1 && i % 7 != 0) {
            jids.add(JournalTestSupport.await(commits.get(i)).jid());
            bytes += i;
          }
        }
        assertEquals(LongStream.rangeClosed(1, jids.size()).boxed().toList(), jids, ns);
        NamespaceInfo info = JournalTestSupport.await(journal.namespace(ns));
        assertEquals(jids.size(), info.lastJid(), ns);
        assertEquals(bytes, info.usedBytes(), ns);
      }
    }
    try (Journal journal = SqliteJournal.open(file)) {
      NamespaceInfo a = JournalTestSupport.await(journal.namespace("a"));
      assertEquals(a.lastJid(), JournalTestSupport.await(journal.changes("a", 0, 1000)).size());
    }
  }

  /**
   * Another connection (the user store, a CLI) holding the write lock makes a commit wait, not
   * fail: a deferred transaction that has read cannot wait on the upgrade to write and fails at
   * once with SQLITE_BUSY, which reached clients as 503.
   */
  @Test
  void aCommitWaitsForAnotherConnectionsWriteLock() throws Exception {
    Path file = dir.resolve("journal.db");
    try (Journal journal = SqliteJournal.open(file);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      JournalTestSupport.await(journal.createNamespace("n"));
      JournalTestSupport.await(journal.commit("n", JournalTestSupport.put("/a", 1), null));
      other.setAutoCommit(false);
      Future<JournalRow> commit;
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO grants (ns, user_name, access) VALUES ('x', 'y', 'READ')");
        commit = journal.commit("n", JournalTestSupport.put("/b", 1), null);
        // Bounded: the writer has either failed by now (the old behaviour) or is still waiting.
        Thread.sleep(300);
        assertFalse(commit.isComplete(), () -> "finished under a foreign write lock: "
            + commit.cause());
        other.commit();
      }
      assertEquals(2, JournalTestSupport.await(commit).jid());
      assertEquals("/b", JournalTestSupport.await(journal.entry("n", "/b")).path());
    }
  }

  /** The same for the user store, which shares the journal's file. */
  @Test
  void aUserStoreWriteWaitsForTheJournalsWriteLock() throws Exception {
    Path file = dir.resolve("journal.db");
    try (Journal journal = SqliteJournal.open(file);
        SqliteUserStore users = SqliteUserStore.open(file, java.time.Clock.systemUTC());
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      other.setAutoCommit(false);
      CompletableFuture<Future<User>> created = new CompletableFuture<>();
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO grants (ns, user_name, access) VALUES ('x', 'y', 'READ')");
        Thread.ofVirtual().start(() -> created.complete(users.createUser("ann", "h", false)));
        Thread.sleep(300);
        assertFalse(created.isDone(), () -> "finished under a foreign write lock: "
            + created.getNow(null).cause());
        other.commit();
      }
      assertEquals("ann", JournalTestSupport.await(created.get(30, TimeUnit.SECONDS)).name());
    }
  }

  private static String query(Path file, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
