package io.cairn.storage;

import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import java.time.Clock;

/** The model-based journal test on PostgreSQL, in a database of its own. */
class PgJournalModelTest extends JournalModelTest {

  @Override
  protected Journal createJournal(Clock clock) {
    // A Vert.x of the journal's own, closed with it: this class opens one journal.
    return await(PgJournal.open(null, PostgresServer.shared().newDatabase(), clock, 4));
  }
}
