package io.cairn.server.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lease.LocalLeases;
import io.cairn.cluster.lease.Leases;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.server.admin.LastRun;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's runs: under the gc lease, counted in the metrics by outcome. */
class GcScheduleTest {
  /** Three days ahead: every chunk stored by the test is past the grace. */
  private final Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(3));
  private final LocalLeases leases = new LocalLeases(later);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GcSettings settings = new GcSettings(Duration.ZERO, Duration.ofHours(24), 0);
  @TempDir Path dir;
  private SqliteJournal journal;
  private FsChunkStore store;

  @BeforeEach
  void open() throws Exception {
    journal = SqliteJournal.open(dir.resolve("journal.db"));
    store = FsChunkStore.open(dir.resolve("chunks")).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void close() {
    store.close();
    journal.close();
  }

  @Test
  void aRunWhileAnotherNodeHoldsTheLeaseIsSkippedAndCounted() throws Exception {
    ChunkHash orphan = orphan();
    try (GcSchedule gc = new GcSchedule(journal, store, leases, settings, null, later, registry)) {
      Leases.Lease other = leases.tryAcquire(GcSchedule.LEASE, Duration.ofMinutes(10));
      assertNull(gc.runNow(), "another holder: no run");
      assertEquals(1, runs("skipped"));
      assertEquals(Set.of(), await(store.missing(List.of(orphan))), "nothing deleted");
      other.close();
      GarbageCollector.Summary s = gc.runNow();
      assertNotNull(s);
      assertEquals(1, s.sweptChunks());
      assertEquals(1, runs("ok"));
      assertEquals(1, registry.get("cairn.gc.swept.chunks").counter().count());
      assertEquals(5_000, registry.get("cairn.gc.swept").counter().count());
      assertTrue(registry.get("cairn.gc.last.run.timestamp").gauge().value() > 0);
      LastRun recorded = LastRun.read(journal, LastRun.GC);
      assertEquals("ok", recorded.result(), "recorded in the journal, for every node's status page");
      assertTrue(recorded.summary().contains("deleted 1 chunks"), recorded.summary());
      assertTrue(recorded.atMillis() > 0 && recorded.tookMillis() >= 0, recorded.toString());
      assertNotNull(leases.tryAcquire(GcSchedule.LEASE, Duration.ofMinutes(1)), "given up after the run");
    }
  }

  @Test
  void aRunThatCannotReadTheJournalFailsCountedDeletesNothingAndFreesTheLease() throws Exception {
    ChunkHash orphan = orphan();
    await(journal.createNamespace("home:alice"));
    Journal failing = (Journal) Proxy.newProxyInstance(Journal.class.getClassLoader(), new Class<?>[] {Journal.class},
        (proxy, method, args) -> {
          if (method.getName().equals("entriesByPath")) {
            return Future.failedFuture(new CairnException(CairnException.Kind.TRANSIENT, "database unreachable"));
          }
          try {
            return method.invoke(journal, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (GcSchedule gc = new GcSchedule(failing, store, leases, settings, null, later, registry)) {
      assertThrows(GcFailure.class, gc::runNow);
      assertEquals(1, runs("failed"));
      LastRun recorded = LastRun.read(journal, LastRun.GC);
      assertEquals("failed", recorded.result());
      assertTrue(recorded.summary().contains("database unreachable"), recorded.summary());
      assertEquals(Set.of(), await(store.missing(List.of(orphan))), "the mark failed: nothing deleted");
      assertNotNull(leases.tryAcquire(GcSchedule.LEASE, Duration.ofMinutes(1)), "given up after the failure");
    }
  }

  private double runs(String outcome) {
    return registry.get("cairn.gc.runs").tag("outcome", outcome).counter().count();
  }

  private ChunkHash orphan() throws Exception {
    byte[] data = new byte[5_000];
    data[0] = 42;
    ChunkHash h = ChunkHash.sha256(data);
    await(store.put(h, Buffer.buffer(data)));
    return h;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
