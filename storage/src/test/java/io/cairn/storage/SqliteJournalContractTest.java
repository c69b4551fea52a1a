package io.cairn.storage;

import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on SQLite: one database file per test in a directory per class. */
class SqliteJournalContractTest extends JournalContractTest {
  @TempDir static Path dir;
  private static final AtomicInteger FILES = new AtomicInteger();
  private Path file;

  @Override
  protected Journal createJournal(Clock clock) {
    file = dir.resolve("db" + FILES.incrementAndGet()).resolve("journal.db");
    return SqliteJournal.open(file, clock);
  }

  @Override
  protected Journal reopen(Clock clock) {
    return SqliteJournal.open(file, clock);
  }
}
