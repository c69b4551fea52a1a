package io.cairn.storage.users;

import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.storage.sqlite.SqliteUserStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The user store contract on SQLite, in a file that also holds a journal. */
class SqliteUserStoreTest extends UserStoreContractTest {
  @TempDir Path dir;

  @Override
  protected UserStore create() {
    Path file = dir.resolve("journal.db");
    SqliteJournal.open(file).close(); // the journal and the users share one file and migrations
    return SqliteUserStore.open(file, Clock.systemUTC());
  }
}
