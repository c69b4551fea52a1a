package io.cairn.cluster.lease;

import java.time.Duration;

/**
 * Named leases, each held by at most one holder at a time among every node sharing this object's
 * backend. A lease lapses {@code ttl} after it was taken or last renewed: a holder that dies frees
 * it without a goodbye. Blocking calls (a cluster backend asks another member): for a worker or a
 * virtual thread, never a Vert.x event loop. Thread-safe.
 */
public interface Leases {

  /**
   * Takes the lease {@code name} for {@code ttl} when nobody holds it (or its holder's lease has
   * lapsed).
   *
   * @return the lease, or null when another holder has it
   */
  Lease tryAcquire(String name, Duration ttl);

  /** A lease held; {@link #close()} gives it up. */
  interface Lease extends AutoCloseable {
    /**
     * Extends the lease to its time-to-live from now.
     *
     * @return false when it was lost meanwhile (it lapsed, and maybe another holder took it): the
     *     work it guards should stop
     */
    boolean renew();

    /**
     * A check for long work under this lease, to call between its steps: true while the lease is
     * held, renewing it (a call to the cluster) at most every {@code every} by {@code clock}.
     */
    default java.util.function.BooleanSupplier renewingEvery(Duration every, java.time.Clock clock) {
      long[] renewed = {clock.millis()};
      return () -> {
        if (clock.millis() - renewed[0] < every.toMillis()) {
          return true;
        }
        renewed[0] = clock.millis();
        return renew();
      };
    }

    /** Gives the lease up; nothing happens when it was lost already. */
    @Override
    void close();
  }
}
