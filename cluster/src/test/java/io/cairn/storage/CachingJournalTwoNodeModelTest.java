package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.cache.CachingJournal;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The journal model test on two nodes over one PostgreSQL database: two pools, two caches, every
 * call on a node picked at random. A stale cached read on either node fails the model comparison
 * (design invariant 6); the caches must also have been used, or the test proves nothing.
 */
class CachingJournalTwoNodeModelTest extends JournalModelTest {
  private static String uri;
  private static Vertx vertx;
  private TwoNodeJournal nodes;

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
    nodes =
        new TwoNodeJournal(
            new CachingJournal(await(PgJournal.open(vertx, uri, clock, 4)), 10_000),
            new CachingJournal(await(PgJournal.open(vertx, uri, clock, 4)), 10_000));
    return nodes;
  }

  @AfterEach
  void cachesWereUsed() {
    for (int i = 0; i < 2; i++) {
      CachingJournal node = nodes.node(i);
      assertTrue(node.hits() > 0 && node.invalidations() > 0, "node " + i + " hits " + node.hits());
    }
  }
}
