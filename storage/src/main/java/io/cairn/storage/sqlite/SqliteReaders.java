package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
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
 * A few read-only connections, each used by one caller at a time: WAL lets them read while the
 * writer writes, and every read sees one committed snapshot.
 *
 * <p>A virtual-thread caller reads on its own thread ({@link #readHere}): it takes an idle
 * connection, waiting while none is, and gets an already-completed future. SQLite's native calls
 * pin the virtual thread's carrier for their duration, but a read of a few rows takes
 * microseconds, far less than the two thread hand-offs through a pool it saves; and as only as
 * many reads as there are connections run at once, the other callers wait unmounted. Any other
 * caller (an event loop, which must not block) hands its read to a few platform threads
 * ({@link #submit}).
 */
final class SqliteReaders implements AutoCloseable {
  /** How long a read waits for an idle connection before failing with TRANSIENT. */
  private static final long WAIT_SECONDS = 30;

  private final BlockingQueue<SqliteConnection> idle;
  private final List<SqliteConnection> all = new ArrayList<>();
  private final ExecutorService threads;
  private volatile boolean closed;

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
   * Runs {@code work} on the caller's thread, in one read transaction when {@code snapshot} (else
   * each statement sees the newest commit); never blocks long.
   */
  <T> Future<T> readHere(SqliteWriter.Work<T> work, boolean snapshot) {
    try {
      return Future.succeededFuture(read(work, snapshot));
    } catch (CairnException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Runs {@code work} on a reader thread in one read transaction and hands its outcome to {@code
   * outcome}; a closed pool fails it at once with TRANSIENT.
   */
  <T> void submit(SqliteWriter.Work<T> work, boolean snapshot, SqliteWriter.Outcome<T> outcome) {
    try {
      threads.execute(() -> {
        T value;
        try {
          value = read(work, snapshot);
        } catch (CairnException e) {
          outcome.failed(e);
          return;
        }
        outcome.succeeded(value);
      });
    } catch (RejectedExecutionException e) {
      outcome.failed(closedFailure());
    }
  }

  private <T> T read(SqliteWriter.Work<T> work, boolean snapshot) {
    SqliteConnection db = take();
    try {
      if (snapshot) {
        db.begin(false);
      }
      return work.run(db);
    } catch (CairnException e) {
      throw e;
    } catch (SQLException e) {
      throw SqliteConnection.internal("journal read failed", e);
    } catch (RuntimeException e) {
      throw new CairnException(CairnException.Kind.INTERNAL, e.toString(), e);
    } finally {
      // Ends the read transaction so that the next read sees newer commits.
      db.rollbackQuietly();
      idle.add(db);
    }
  }

  private SqliteConnection take() {
    if (closed) {
      throw closedFailure();
    }
    SqliteConnection db;
    try {
      db = idle.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(CairnException.Kind.TRANSIENT, "interrupted", e);
    }
    if (db == null) {
      throw new CairnException(CairnException.Kind.TRANSIENT,
          "no idle journal reader after " + WAIT_SECONDS + " s");
    }
    if (closed) {
      idle.add(db);
      throw closedFailure();
    }
    return db;
  }

  private static CairnException closedFailure() {
    return new CairnException(CairnException.Kind.TRANSIENT, "journal is closed");
  }

  /** Every connection of the pool, idle or not. */
  List<SqliteConnection> connections() {
    return List.copyOf(all);
  }

  /** Lets running reads finish (each returns its connection), then closes the connections. */
  @Override
  public void close() {
    closed = true;
    threads.shutdown();
    try {
      threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      for (int returned = 0; returned < all.size(); returned++) {
        if (idle.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS) == null) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(SqliteConnection::close);
  }
}
