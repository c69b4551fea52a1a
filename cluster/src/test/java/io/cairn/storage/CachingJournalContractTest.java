package io.cairn.storage;

import io.cairn.cluster.cache.CachingJournal;
import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract through the near-cache, over SQLite; a small capacity forces restarts. */
class CachingJournalContractTest extends JournalContractTest {
  @TempDir static Path dir;
  private static final AtomicInteger FILES = new AtomicInteger();
  private Path file;

  @Override
  protected Journal createJournal(Clock clock) {
    file = dir.resolve("db" + FILES.incrementAndGet()).resolve("journal.db");
    return new CachingJournal(SqliteJournal.open(file, clock), 64);
  }

  @Override
  protected Journal reopen(Clock clock) {
    return new CachingJournal(SqliteJournal.open(file, clock), 64);
  }
}
