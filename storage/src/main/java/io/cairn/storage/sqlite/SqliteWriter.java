package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the journal database, with its own connection: every write is
 * serialized here, so jid allocation needs no other lock.
 *
 * <p>Group commit: the thread takes every write waiting in its queue (up to {@link #MAX_BATCH})
 * and runs them in one transaction, each inside its own savepoint (a lone write needs none), so
 * that a write that fails rolls back alone while the others stay. One fsync then makes the whole batch durable, and only
 * after it do the writes' results go out. Under load this turns one fsync per commit into one per
 * batch; a lone write still commits at once.
 */
final class SqliteWriter implements AutoCloseable {
  static final int MAX_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);

  /** One unit of work for the writer, run inside the batch's transaction (in a savepoint of its own when not alone). */
  @FunctionalInterface
  interface Work<T> {
    T run(SqliteConnection db) throws SQLException;
  }

  /** Receives a write's outcome once its batch is durable (or has failed). */
  interface Outcome<T> {
    void succeeded(T value);

    void failed(CairnException e);
  }

  private record Task<T>(Work<T> work, Outcome<T> outcome) {}

  private static final Task<Void> STOP = new Task<>(db -> null, null);

  private final SqliteConnection db;
  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private boolean closed;

  SqliteWriter(SqliteConnection db, String name) {
    this.db = db;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    thread.start();
  }

  /** Queues a write; a closed writer fails it at once with TRANSIENT. */
  <T> void submit(Work<T> work, Outcome<T> outcome) {
    synchronized (this) {
      if (!closed) {
        queue.add(new Task<>(work, outcome));
        return;
      }
    }
    outcome.failed(new CairnException(CairnException.Kind.TRANSIENT, "journal is closed"));
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      boolean stop = batch.remove(STOP);
      run(batch);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Runs one batch in one transaction; each task's outcome is reported after the commit. */
  private void run(List<Task<?>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Object[] results = new Object[batch.size()];
    CairnException[] failures = new CairnException[batch.size()];
    // A lone write needs no savepoint: rolling back the transaction undoes it alone.
    boolean savepoints = batch.size() > 1;
    try {
      db.begin(true);
      for (int i = 0; i < batch.size(); i++) {
        if (savepoints) {
          db.run("SAVEPOINT w");
        }
        try {
          results[i] = batch.get(i).work().run(db);
          if (savepoints) {
            db.run("RELEASE w");
          }
        } catch (CairnException e) {
          failures[i] = e;
          undo(savepoints);
        } catch (SQLException e) {
          failures[i] = SqliteConnection.internal("journal write failed", e);
          undo(savepoints);
        } catch (RuntimeException | Error e) {
          // A bug in one write must not kill the only writer thread and stall every other write.
          LOG.error("journal write failed", e);
          failures[i] = new CairnException(CairnException.Kind.INTERNAL, e.toString(), e);
          undo(savepoints);
        }
      }
      if (db.inTransaction()) {
        db.commit();
      }
    } catch (SQLException e) {
      CairnException failure = SqliteConnection.internal("journal commit failed", e);
      if (failure.kind() == CairnException.Kind.INTERNAL) {
        LOG.error("journal batch of {} writes failed", batch.size(), e);
      } else {
        // A full disk or a busy file: the operator's to fix, each writer hears it (507, 503).
        LOG.warn("journal batch of {} writes failed: {}", batch.size(), e.getMessage());
      }
      db.rollbackQuietly();
      for (int i = 0; i < batch.size(); i++) {
        failures[i] = failures[i] == null ? failure : failures[i];
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      report(batch.get(i), results[i], failures[i]);
    }
  }

  /** Undoes the write that just failed: back to its savepoint, or the whole transaction when it has none. */
  private void undo(boolean savepoint) throws SQLException {
    if (savepoint) {
      db.run("ROLLBACK TO w");
      db.run("RELEASE w");
    } else {
      db.rollbackQuietly();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void report(Task<T> task, Object result, CairnException failure) {
    try {
      if (failure != null) {
        task.outcome().failed(failure);
      } else {
        task.outcome().succeeded((T) result);
      }
    } catch (RuntimeException e) {
      LOG.error("a journal caller's callback failed", e);
    }
  }

  /** Finishes the writes already queued, then stops the thread. Does not close the connection. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    try {
      if (!thread.join(java.time.Duration.ofSeconds(30))) {
        LOG.warn("journal writer still busy after 30 s; interrupting it");
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
