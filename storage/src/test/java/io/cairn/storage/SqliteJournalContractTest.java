package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cairn.storage.sqlite.QueryPlans;
import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal contract on SQLite: one database file per test in a directory per class. After the
 * class, every statement the contract made the journal run is explained by SQLite, and none may
 * scan a table that grows with what is stored (ADR 0017: the cost of such a scan grows with the
 * namespace, which no test of this size would otherwise notice).
 */
class SqliteJournalContractTest extends JournalContractTest {
  /** Tables whose size follows the stored files, their versions, chunks or trash. */
  private static final Set<String> GROWING =
      Set.of("entries", "journal", "chunk_refs", "trash_entries", "trash_roots", "properties",
          "expired_versions", "gc_deletions", "chunk_uploads", "damaged_chunks");

  /**
   * Statements that read all of a namespace or table by design, once per report or gc run, by how
   * their SQL starts.
   */
  private static final Map<String, String> WHOLE_BY_DESIGN = Map.of(
      "SELECT (SELECT used_bytes FROM namespaces WHERE ns = ?1)",
      "Journal.usage: a namespace's live, retained and trash bytes, for reports and for quotas that count history, which cache it (ADR 0019)",
      "UPDATE gc_deletions SET ended = ? WHERE ended IS NULL AND announced_at < ?",
      "ChunkDeletions.forget, once per gc run: ends the batches of a gc run that died",
      "DELETE FROM gc_deletions WHERE ended IS NOT NULL AND announced_at < ?",
      "ChunkDeletions.forget, once per gc run: drops the record of ended batches",
      "SELECT path, jid, at, author, kind, bytes, files FROM trash_roots WHERE ns = ? ORDER BY jid DESC LIMIT ?",
      "the trash, newest first: walks the namespace's trash roots in the index's order and stops at the page's limit",
      "SELECT path, jid, at, author, kind, bytes, files FROM trash_roots WHERE ns = ? AND (path = ?",
      "a folder's trash, newest first: walks the namespace's trash roots (not its files) until a page is under the folder");

  @TempDir static Path dir;
  private static final AtomicInteger FILES = new AtomicInteger();
  private static final Set<String> RUN = new HashSet<>();
  private final List<SqliteJournal> opened = new ArrayList<>();
  private Path file;

  @Override
  protected Journal createJournal(Clock clock) {
    file = dir.resolve("db" + FILES.incrementAndGet()).resolve("journal.db");
    return open();
  }

  @Override
  protected Journal reopen(Clock clock) {
    return open();
  }

  private SqliteJournal open() {
    SqliteJournal journal = SqliteJournal.open(file, clock);
    opened.add(journal);
    return journal;
  }

  /** Before the journals close (the superclass closes them after this): what they ran. */
  @AfterEach
  void collectStatements() {
    synchronized (RUN) {
      opened.forEach(j -> RUN.addAll(QueryPlans.preparedSql(j)));
    }
  }

  @AfterAll
  static void noStatementScansAGrowingTable() throws Exception {
    Path any = dir.resolve("db1").resolve("journal.db");
    List<String> checked = RUN.stream()
        .filter(sql -> WHOLE_BY_DESIGN.keySet().stream().noneMatch(sql::startsWith))
        .toList();
    assertFalse(checked.isEmpty(), "the journal's statements were collected");
    assertEquals(List.of(), QueryPlans.scans(any, checked, GROWING),
        "statements that read a whole table, index or namespace (of " + checked.size() + " explained)");
  }
}
