package io.cairn.storage;

import static io.cairn.storage.JournalTestSupport.await;
import static io.cairn.storage.JournalTestSupport.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.TreePaths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A journal written at schema version 4 and what migration V5 must make of it: distinct file ids,
 * tree sizes from the tree, tree versions from the newest version below (db/&lt;backend&gt;/V5__
 * file_ids_and_trees.sql). Each backend's own test writes it with today's code, takes the
 * database back to version 4 with {@link #DOWNGRADE} and opens it again.
 */
final class TreeMigrationScenario {
  /** Statements that take a version 10 database back to version 4, the rows kept. */
  static final List<String> DOWNGRADE = List.of(
      "DROP TABLE damaged_chunks",
      "DROP TABLE maintenance_values",
      "DELETE FROM schema_version WHERE version = 10",
      "DROP TABLE gc_deletions",
      "DROP TABLE gc_epoch",
      "DELETE FROM schema_version WHERE version = 9",
      "DROP TABLE expired_versions",
      "DROP TABLE namespace_settings",
      "DELETE FROM schema_version WHERE version = 8",
      "DROP TABLE share_links",
      "DELETE FROM schema_version WHERE version = 7",
      "DROP INDEX entries_by_file_id",
      "DELETE FROM schema_version WHERE version = 6",
      "ALTER TABLE namespaces DROP COLUMN root_file_id",
      "ALTER TABLE entries DROP COLUMN file_id",
      "ALTER TABLE entries DROP COLUMN tree_version",
      "ALTER TABLE entries DROP COLUMN tree_size",
      "ALTER TABLE trash_entries DROP COLUMN file_id",
      "ALTER TABLE trash_entries DROP COLUMN tree_version",
      "ALTER TABLE trash_entries DROP COLUMN tree_size",
      "DELETE FROM schema_version WHERE version = 5");

  private TreeMigrationScenario() {}

  /** Namespaces "n" and "m"; in n a delete below /d/e (jid 6) that no entry remembers. */
  static void write(Journal journal) {
    await(journal.createNamespace("n"));
    await(journal.createNamespace("m"));
    for (Change c : List.of(new Change.Mkdir("/d"), new Change.Mkdir("/d/e"), put("/d/e/f", 10),
        put("/d/g", 5), put("/d/e/x", 7), new Change.Delete("/d/e/x", Expect.ANY),
        new Change.Mkdir("/h"), put("/top", 3))) {
      await(journal.commit("n", c, "a"));
    }
    await(journal.commit("m", put("/a", 2), "a"));
  }

  static void checkMigrated(Journal journal) {
    Map<String, long[]> expected = Map.of( // {tree version, tree size}
        "/", new long[] {8, 18},
        "/d", new long[] {4, 15},
        "/d/e", new long[] {3, 10},
        "/d/e/f", new long[] {3, 10},
        "/d/g", new long[] {4, 5},
        "/h", new long[] {7, 0},
        "/top", new long[] {8, 3});
    Set<Long> ids = new HashSet<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      Entry got = await(journal.entry("n", e.getKey()));
      assertEquals(List.of(e.getValue()[0], e.getValue()[1]),
          List.of(got.treeVersion(), got.treeSize()), e.getKey());
      assertTrue(got.fileId() > 0 && ids.add(got.fileId()), e.getKey() + ": " + got.fileId());
    }
    for (String p : List.of("/", "/a")) {
      Entry got = await(journal.entry("m", p));
      assertEquals(List.of(1L, 2L), List.of(got.treeVersion(), got.treeSize()), "m" + p);
      assertTrue(got.fileId() > 0 && ids.add(got.fileId()), "m" + p + ": " + got.fileId());
    }
    Entry trashed = await(journal.trashed("n", 6, "/d/e/x")).getFirst();
    assertEquals(List.of(0L, 5L, 7L),
        List.of(trashed.fileId(), trashed.treeVersion(), trashed.treeSize()),
        "an entry trashed before V5 has no id; its tree is itself");

    // Commits after the migration carry on from the backfilled values with ids not yet used.
    JournalRow row = await(journal.commit("n", put("/d/e/y", 4), "a"));
    await(journal.createNamespace("k"));
    await(journal.commit("m", new Change.Mkdir("/new"), "a"));
    for (String p : List.of("/d/e", "/d", TreePaths.ROOT)) {
      assertEquals(row.jid(), await(journal.entry("n", p)).treeVersion(), p);
    }
    assertEquals(14, await(journal.entry("n", "/d/e")).treeSize());
    assertEquals(19, await(journal.entry("n", "/d")).treeSize());
    for (long id : List.of(await(journal.entry("n", "/d/e/y")).fileId(),
        await(journal.entry("k", "/")).fileId(), await(journal.entry("m", "/new")).fileId())) {
      assertTrue(id > 0 && ids.add(id), "a new id after the migration: " + id);
    }
  }
}
