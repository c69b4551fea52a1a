package io.cairn.storage;

import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The journal contract on PostgreSQL: one database for this class, a journal per test. */
class PgJournalContractTest extends JournalContractTest {
  private static String uri;
  private static Vertx vertx;

  @BeforeAll
  static void startDatabase() {
    uri = PostgresServer.shared().newDatabase();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Override
  protected Journal createJournal(Clock clock) {
    return await(PgJournal.open(vertx, uri, clock, PgJournal.DEFAULT_POOL_SIZE));
  }

  @Override
  protected Journal reopen(Clock clock) {
    return createJournal(clock);
  }
}
