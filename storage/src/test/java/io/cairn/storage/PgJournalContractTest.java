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

  /**
   * PostgreSQL keeps paths in B-tree entries of at most 2,704 bytes, fewer than the 4,096 characters
   * path.max.length allows: a folder too deep for them is refused as bad input (a 400), not as a
   * server fault, and nothing of it is stored.
   */
  @org.junit.jupiter.api.Test
  void aPathTooLongForAnIndexEntryIsRefusedAsInvalid() {
    java.util.Random random = new java.util.Random(16);
    StringBuilder path = new StringBuilder();
    for (int depth = 1; depth <= 20; depth++) {
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        name.append((char) ('a' + random.nextInt(26))); // random letters: nothing to compress
      }
      path.append('/').append(name);
      io.cairn.core.CairnException.Kind refused = outcome(journal.commit(ns, new Change.Mkdir(path.toString()), "alice"));
      if (refused != null) {
        org.junit.jupiter.api.Assertions.assertEquals(io.cairn.core.CairnException.Kind.INVALID, refused,
            "a " + path.length() + "-byte path");
        org.junit.jupiter.api.Assertions.assertTrue(path.length() > 2000, "refused at " + path.length() + " bytes");
        org.junit.jupiter.api.Assertions.assertNull(entry(path.toString()), "nothing was written");
        return;
      }
    }
    org.junit.jupiter.api.Assertions.fail("a 4,020-byte path was stored: PostgreSQL's limit is not what this test knows");
  }

  @Override
  protected Journal reopen(Clock clock) {
    return createJournal(clock);
  }
}
