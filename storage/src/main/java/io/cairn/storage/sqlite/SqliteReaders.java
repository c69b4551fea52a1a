package io.cairn.storage.sqlite;

import io.cairn.storage.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few platform threads, each reading through a connection of its own: WAL lets them read while
 * the writer writes, and every read sees one committed snapshot. Platform threads rather than
 * virtual ones because SQLite's native calls would pin a virtual thread's carrier.
 */
final class SqliteReaders implements AutoCloseable {
  private final BlockingQueue<SqliteConnection> idle;
  private final List<SqliteConnection> all = new ArrayList<>();
  private final ExecutorService threads;

  SqliteReaders(Path file, int count, String name) throws SQLException {
    idle = new ArrayBlockingQueue<>(count);
    try {
      for (int i = 0; i < count; i++) {
        SqliteConnection c = SqliteConnection.open(file, true);
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      all.forEach(SqliteConnection::close);
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    threads = Executors.newFixedThreadPool(count,
        r -> Thread.ofPlatform().daemon(true).name(name + "-" + n.incrementAndGet()).unstarted(r));
  }

  /**
   * Runs {@code work} on a reader thread in one read transaction and hands its outcome to {@code
   * outcome}; a closed pool fails it at once with TRANSIENT.
   */
  <T> void submit(SqliteWriter.Work<T> work, SqliteWriter.Outcome<T> outcome) {
    try {
      threads.execute(() -> read(work, outcome));
    } catch (RejectedExecutionException e) {
      outcome.failed(new StorageException(StorageException.Kind.TRANSIENT, "journal is closed"));
    }
  }

  private <T> void read(SqliteWriter.Work<T> work, SqliteWriter.Outcome<T> outcome) {
    // As many connections as threads: one is always idle for the thread running this.
    SqliteConnection db = idle.poll();
    if (db == null) {
      outcome.failed(new StorageException(StorageException.Kind.INTERNAL, "no idle reader"));
      return;
    }
    T value;
    try {
      value = work.run(db);
    } catch (StorageException e) {
      outcome.failed(e);
      return;
    } catch (SQLException e) {
      outcome.failed(SqliteConnection.internal("journal read failed", e));
      return;
    } catch (RuntimeException e) {
      outcome.failed(new StorageException(StorageException.Kind.INTERNAL, e.toString(), e));
      return;
    } finally {
      // Ends the read transaction so that the next read sees newer commits.
      db.rollbackQuietly();
      idle.add(db);
    }
    outcome.succeeded(value);
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(SqliteConnection::close);
  }
}
