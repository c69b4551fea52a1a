package io.cairn.storage.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order ADR 0015's case 8 rests on, on PostgreSQL: an announcement of deletions commits either
 * before a checked commit's check (which then sees the batch) or after the commit's row. A second
 * connection of the test stands in for the other side, holding the advisory lock in a
 * transaction of its own; that the side under test waits is read from {@code pg_locks}, not
 * guessed from time.
 */
class PgDeletionOrderTest {
  private static final long WAIT_SECONDS = 60;
  private static String uri;
  private static Vertx vertx;
  private PgJournal journal;
  private Pool raw;
  private String ns;

  @BeforeAll
  static void startDatabase() {
    uri = PostgresServer.shared().newDatabase();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void open() throws Exception {
    journal = await(PgJournal.open(vertx, uri, Clock.systemUTC(), 4));
    PgConnectOptions options = PgConnectOptions.fromUri(uri);
    if (options.getPassword() == null) {
      options.setPassword("");
    }
    raw = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
    ns = "order-" + UUID.randomUUID();
    await(journal.createNamespace(ns));
  }

  @AfterEach
  void close() throws Exception {
    await(raw.close());
    journal.close();
  }

  @Test
  void aCheckedCommitWaitsForAnAnnouncementInFlightAndThenSeesItsBatch() throws Exception {
    ChunkHash chunk = chunk();
    long epoch = await(journal.chunkDeletions().epoch());
    SqlConnection announcing = await(raw.getConnection());
    try {
      Transaction tx = await(announcing.begin());
      await(announcing.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(PgChunkDeletions.ANNOUNCING)));
      Future<JournalRow> commit = journal.commit(ns, put(chunk).keptSince(epoch), "alice");
      awaitAWaiter();
      assertFalse(commit.isComplete(), "the commit waits for the announcement");
      await(announcing.preparedQuery(PgChunkDeletions.ANNOUNCE)
          .execute(Tuple.tuple().addArrayOfString(new String[] {chunk.hex()}).addLong(Instant.now().toEpochMilli())));
      await(tx.commit());
      CairnException refused = assertFails(commit);
      assertEquals(CairnException.Kind.TRANSIENT, refused.kind(), refused.getMessage());
      assertEquals(null, await(journal.entry(ns, "/f")), "nothing committed");
    } finally {
      await(announcing.close());
    }
  }

  @Test
  void anAnnouncementWaitsForACheckedCommitInFlight() throws Exception {
    SqlConnection committing = await(raw.getConnection());
    try {
      Transaction tx = await(committing.begin());
      await(committing.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)")
          .execute(Tuple.of(PgChunkDeletions.ANNOUNCING)));
      Future<Long> announced = journal.chunkDeletions().announce(List.of(chunk()), Instant.now());
      awaitAWaiter();
      assertFalse(announced.isComplete(), "the announcement waits for the commit");
      await(tx.commit());
      assertTrue(await(announced) > 0);
    } finally {
      await(committing.close());
    }
  }

  @Test
  void anAnnouncementDoesNotWaitForACheckedCommitThatWaitsForItsNamespace() throws Exception {
    ChunkHash chunk = chunk();
    long epoch = await(journal.chunkDeletions().epoch());
    SqlConnection holding = await(raw.getConnection());
    try {
      // A long transaction in the namespace (a large delete or move) holds its row.
      Transaction tx = await(holding.begin());
      await(holding.preparedQuery("UPDATE namespaces SET last_jid = last_jid WHERE ns = $1").execute(Tuple.of(ns)));
      Future<JournalRow> commit = journal.commit(ns, put(chunk).keptSince(epoch), "alice");
      awaitLockWaits("the commit waits for its namespace");
      // Were the commit holding the announcement lock while it waits, this would wait too, and
      // every other namespace's checked commit behind it.
      assertTrue(await(journal.chunkDeletions().announce(List.of(chunk), Instant.now())) > 0,
          "the announcement went ahead while the namespace was held");
      assertFalse(commit.isComplete(), "the commit still waits for its namespace");
      await(tx.commit());
      CairnException refused = assertFails(commit);
      assertEquals(CairnException.Kind.TRANSIENT, refused.kind(), "its check saw the batch: " + refused.getMessage());
      assertEquals(null, await(journal.entry(ns, "/f")), "nothing committed");
    } finally {
      await(holding.close());
    }
  }

  /** Returns once a session of this database waits for a row or transaction lock; fails after a minute. */
  private void awaitLockWaits(String what) throws Exception {
    String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (await(raw.preparedQuery(waiting).execute()).iterator().next().getLong(0) == 0) {
      assertTrue(System.nanoTime() < deadline, "nothing waited: " + what);
      Thread.sleep(5);
    }
  }

  /** Returns once a session of this database waits for the announcement lock; fails after a minute. */
  private void awaitAWaiter() throws Exception {
    String waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND classid::bigint = $1 AND objid::bigint = $2";
    Tuple key = Tuple.of(PgChunkDeletions.ANNOUNCING >>> 32, PgChunkDeletions.ANNOUNCING & 0xffffffffL);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (await(raw.preparedQuery(waiting).execute(key)).iterator().next().getLong(0) == 0) {
      assertTrue(System.nanoTime() < deadline, "nothing waited for the announcement lock");
      Thread.sleep(5);
    }
  }

  private static Change.Put put(ChunkHash chunk) {
    return new Change.Put("/f", 5, "h-" + chunk.hex(), new Blocklist(List.of(new BlockRef(chunk, 5))), null, Expect.ANY);
  }

  private static ChunkHash chunk() {
    return ChunkHash.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
  }

  private static CairnException assertFails(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CairnException c) {
        return c;
      }
      throw e;
    }
    throw new AssertionError("succeeded: " + future.result());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
