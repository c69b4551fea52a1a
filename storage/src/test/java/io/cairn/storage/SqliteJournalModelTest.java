package io.cairn.storage;

import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The journal's model-based test on SQLite. */
class SqliteJournalModelTest extends JournalModelTest {
  @TempDir static Path dir;

  @Override
  protected Journal createJournal(Clock clock) {
    return SqliteJournal.open(dir.resolve("journal.db"), clock);
  }
}
