package io.cairn.storage;

import static io.cairn.storage.JournalTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.testkit.PostgresServer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sixteen clients committing as fast as they can, each waiting for its commit before the next:
 * into one namespace (where commits queue on its lock) and into a namespace each. Checks that every
 * commit landed exactly once and prints commits per second; it asserts no rate, the machine is
 * shared. {@code -Dcairn.bench.commits=N} sets the commits per client (default 100); with {@code
 * -Dcairn.bench.checked=true} every put is checked against gc's record of deletions in its
 * transaction, as a sync API commit is (ADR 0015, case 8).
 */
class PgJournalThroughputTest {
  private static final int CLIENTS = 16;
  private static final int PER_CLIENT = Integer.getInteger("cairn.bench.commits", 100);
  private static final boolean CHECKED = Boolean.getBoolean("cairn.bench.checked");

  private Journal journal;

  @BeforeEach
  void open() {
    String uri = PostgresServer.shared().newDatabase();
    journal = await(PgJournal.open(null, uri, Clock.systemUTC(), CLIENTS));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void sixteenClientsIntoOneNamespace() throws Exception {
    await(journal.createNamespace("one"));
    warmUp("one");
    long before = await(journal.namespace("one")).lastJid();
    ConcurrentLinkedQueue<Long> jids = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    PgJournalNodesTest.runClients(
        client -> {
          for (int k = 0; k < PER_CLIENT; k++) {
            jids.add(await(journal.commit("one", put(client, k), null)).jid());
          }
        });
    report("one namespace", start);
    List<Long> expected =
        LongStream.rangeClosed(before + 1, before + CLIENTS * PER_CLIENT).boxed().toList();
    assertEquals(expected, jids.stream().sorted().toList());
  }

  @Test
  void sixteenClientsIntoANamespaceEach() throws Exception {
    for (int c = 0; c < CLIENTS; c++) {
      await(journal.createNamespace("ns" + c));
    }
    warmUp("ns0");
    long start = System.nanoTime();
    PgJournalNodesTest.runClients(
        client -> {
          for (int k = 0; k < PER_CLIENT; k++) {
            await(journal.commit("ns" + client, put(client, k), null));
          }
        });
    report("a namespace per client", start);
    for (int c = 1; c < CLIENTS; c++) {
      assertEquals(PER_CLIENT, await(journal.namespace("ns" + c)).lastJid());
      assertEquals(PER_CLIENT, await(journal.changes("ns" + c, 0, PER_CLIENT + 1)).size());
    }
  }

  /** Prepares the statements on every pooled connection before the clock starts. */
  private void warmUp(String ns) throws Exception {
    PgJournalNodesTest.runClients(
        client -> await(journal.commit(ns, new Change.Mkdir("/warm" + client), null)));
  }

  private static Change put(int client, int k) {
    Change.Put put = JournalTestSupport.put("/c" + client + "-" + k, 1000 + k);
    return CHECKED ? put.keptSince(0) : put;
  }

  private static void report(String what, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    int commits = CLIENTS * PER_CLIENT;
    System.out.printf(
        "PgJournal throughput, %d clients, %s%s: %d commits in %.2f s = %.0f commits/s%n",
        CLIENTS, what, CHECKED ? ", puts checked against gc's deletions" : "", commits, seconds, commits / seconds);
  }
}
