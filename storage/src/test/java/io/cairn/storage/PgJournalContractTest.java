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

  @org.junit.jupiter.api.Test
  void aReadOnlyJournalReadsAndRefusesEveryWrite() {
    try (Journal readOnly = await(PgJournal.openReadOnly(vertx, uri, clock))) {
      commit(put("/a", 3));
      org.junit.jupiter.api.Assertions.assertEquals(1, await(readOnly.changes(ns, 0, 10)).size());
      org.junit.jupiter.api.Assertions.assertTrue(await(readOnly.namespaces(null, 100_000)).contains(ns));
      org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
          () -> await(readOnly.commit(ns, put("/b", 3), null)));
    }
    org.junit.jupiter.api.Assertions.assertNull(entry("/b"), "nothing was written");
  }

  @Override
  protected Journal reopen(Clock clock) {
    return createJournal(clock);
  }
}
