package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.core.CairnException;
import io.cairn.storage.metered.MeteredJournal;
import io.cairn.storage.sqlite.SqliteJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics decorator keeps the journal contract (on SQLite), and counts commits by kind. */
class MeteredJournalContractTest extends JournalContractTest {
  @TempDir static Path dir;
  private static final AtomicInteger FILES = new AtomicInteger();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Path file;

  @Override
  protected Journal createJournal(Clock clock) {
    file = dir.resolve("db" + FILES.incrementAndGet()).resolve("journal.db");
    return new MeteredJournal(SqliteJournal.open(file, clock), registry);
  }

  @Override
  protected Journal reopen(Clock clock) {
    return new MeteredJournal(SqliteJournal.open(file, clock), registry);
  }

  private long commits(String kind, String outcome) {
    var timer =
        registry.find("cairn.journal.commit.duration").tags("kind", kind, "outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void countsCommitsByKindWrittenBytesAndLookups() {
    double missesBefore =
        registry.find("cairn.cache.lookups").tags("cache", "metadata", "result", "miss").counter().count();
    commit(new Change.Mkdir("/d"));
    commit(put("/d/f", 10));
    assertEquals(CairnException.Kind.ALREADY_EXISTS, kind(new Change.Mkdir("/d")));
    entry("/d");
    props("/d");

    assertEquals(1, commits("mkdir", "ok"));
    assertEquals(1, commits("put", "ok"));
    assertEquals(1, commits("mkdir", "already_exists"));
    assertEquals(10, registry.find("cairn.journal.written.bytes").counter().count());
    double misses =
        registry.find("cairn.cache.lookups").tags("cache", "metadata", "result", "miss").counter().count();
    assertEquals(2, misses - missesBefore);
    assertEquals(
        0, registry.find("cairn.cache.lookups").tags("cache", "metadata", "result", "hit").counter().count());
  }
}
