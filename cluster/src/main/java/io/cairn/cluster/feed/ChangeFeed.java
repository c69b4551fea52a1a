package io.cairn.cluster.feed;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Word that a namespace has new journal rows, from any node: each commit is announced on the
 * Vert.x event bus (clustered in cluster mode, local on a single node), and readers waiting for
 * changes of that namespace wake up. Announcements are hints, never the data: a waiter always
 * reads the journal afterwards, and waits in short slices so that a lost announcement (a node
 * that died between commit and publish, a bus hiccup) costs at most a slice of latency, never a
 * change (GiG.fs's notifications, without SeaweedFS's dropped events).
 */
public final class ChangeFeed implements AutoCloseable {
  /** The event bus address commits are announced on: the body is {@code ns + "\n" + jid}. */
  public static final String ADDRESS = "cairn.journal.commits";
  /** The longest a waiter sleeps before it looks at the journal itself. */
  public static final Duration SLICE = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final MessageConsumer<String> consumer;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ChangeFeed(Vertx vertx) {
    this.vertx = vertx;
    this.consumer = vertx.eventBus().<String>consumer(ADDRESS, m -> signal(namespaceOf(m.body())));
  }

  /** Announces, to every node, that {@code ns} committed row {@code jid}. */
  public void committed(String ns, long jid) {
    if (!closed) {
      vertx.eventBus().publish(ADDRESS, ns + "\n" + jid);
    }
  }

  private static String namespaceOf(String body) {
    int nl = body == null ? -1 : body.lastIndexOf('\n');
    return nl < 0 ? body : body.substring(0, nl);
  }

  private void signal(String ns) {
    for (Waiter w : waiters) {
      if (w.namespaces.contains(ns)) {
        w.wake();
      }
    }
  }

  /**
   * Starts watching {@code namespaces}: register before reading the journal, then {@link
   * Waiter#await} when the read found nothing, so that a commit between the two is not missed.
   */
  public Waiter watch(Set<String> namespaces) {
    Waiter w = new Waiter(Set.copyOf(namespaces));
    waiters.add(w);
    if (closed) {
      w.wake();
    }
    return w;
  }

  /** Whether the feed has stopped (the server is shutting down): streams should end. */
  public boolean closed() {
    return closed;
  }

  /** Stops listening and wakes every waiter. */
  @Override
  public void close() {
    closed = true;
    consumer.unregister();
    waiters.forEach(Waiter::wake);
  }

  /** One reader's interest in some namespaces; close it when done. */
  public final class Waiter implements AutoCloseable {
    private final Set<String> namespaces;
    private final Semaphore signal = new Semaphore(0);

    private Waiter(Set<String> namespaces) {
      this.namespaces = namespaces;
    }

    private void wake() {
      signal.release();
    }

    /**
     * Waits until a commit to one of the namespaces is announced (since the last wait), at most
     * {@code timeout} and never longer than {@link #SLICE}; true when woken by an announcement.
     */
    public boolean await(Duration timeout) throws InterruptedException {
      long millis = Math.min(Math.max(timeout.toMillis(), 0), SLICE.toMillis());
      boolean woken = signal.tryAcquire(millis, TimeUnit.MILLISECONDS);
      signal.drainPermits();
      return woken;
    }

    @Override
    public void close() {
      waiters.remove(this);
    }
  }
}
