package io.cairn.cluster.lock;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The writes of {@link HazelcastLockManager}, each an entry processor run by the member that owns
 * the namespace's entry, on that entry's partition thread: check and change are one atomic step
 * with no lock held across the network. Every input, the current time and a new lock's token
 * included, is chosen by the caller, so the processor is deterministic and Hazelcast may replay it
 * on the backup copy.
 */
final class LockOps {
  private LockOps() {}

  /** Kept after the last expiry before the map entry itself times out: a backstop only. */
  static final Duration TTL_MARGIN = Duration.ofMinutes(1);

  /** What a processor answers: a lock, a count, or the failure to raise at the caller. */
  record Outcome(LockTable.Stored lock, int count, CairnException.Kind failure, String message)
      implements Serializable {
    static Outcome ok(ActiveLock lock) {
      return new Outcome(LockTable.Stored.of(lock), 0, null, null);
    }

    static Outcome count(int n) {
      return new Outcome(null, n, null, null);
    }

    static Outcome fail(CairnException.Kind kind, String message) {
      return new Outcome(null, 0, kind, message);
    }
  }

  /** The common frame: read the live locks, apply, write back with a TTL, or drop when empty. */
  abstract static class Op implements EntryProcessor<String, LockTable, Outcome> {
    @Serial private static final long serialVersionUID = 1L;
    private final Instant now;

    Op(Instant now) {
      this.now = now;
    }

    Instant now() {
      return now;
    }

    /** Changes {@code live} in place and says what to answer. */
    abstract Outcome apply(List<ActiveLock> live);

    @Override
    public Outcome process(Map.Entry<String, LockTable> entry) {
      List<ActiveLock> live = new ArrayList<>(LockTable.live(entry.getValue(), now()));
      Outcome outcome = apply(live);
      // Written back even after a failure: the expired locks the read skipped are swept out.
      LockTable table = LockTable.of(live);
      if (table == null) {
        entry.setValue(null);
      } else {
        long ttl = Duration.between(now(), LockTable.lastExpiry(live)).plus(TTL_MARGIN).toMillis();
        ((ExtendedMapEntry<String, LockTable>) entry).setValue(table, ttl, TimeUnit.MILLISECONDS);
      }
      return outcome;
    }
  }

  static final class Create extends Op {
    @Serial private static final long serialVersionUID = 1L;
    private final LockTable.Stored wanted;

    Create(ActiveLock wanted, Instant now) {
      super(now);
      this.wanted = LockTable.Stored.of(wanted);
    }

    @Override
    Outcome apply(List<ActiveLock> live) {
      ActiveLock lock = wanted.lock();
      for (ActiveLock other : live) {
        if (lock.conflictsWith(other)) {
          return Outcome.fail(
              CairnException.Kind.LOCKED,
              lock.root() + " conflicts with the " + other.scope() + " lock on " + other.root());
        }
      }
      live.add(lock);
      return Outcome.ok(lock);
    }
  }

  static final class Refresh extends Op {
    @Serial private static final long serialVersionUID = 1L;
    private final String path;
    private final String token;
    private final Duration timeout;

    Refresh(String path, String token, Duration timeout, Instant now) {
      super(now);
      this.path = path;
      this.token = token;
      this.timeout = timeout;
    }

    @Override
    Outcome apply(List<ActiveLock> live) {
      for (int i = 0; i < live.size(); i++) {
        ActiveLock l = live.get(i);
        if (l.token().equals(token) && l.covers(path)) {
          ActiveLock refreshed = l.refreshed(now(), timeout);
          live.set(i, refreshed);
          return Outcome.ok(refreshed);
        }
      }
      return Outcome.fail(
          CairnException.Kind.PRECONDITION_FAILED,
          "no lock " + token + " covers " + path + " (RFC 4918 §9.10.2)");
    }
  }

  static final class Unlock extends Op {
    @Serial private static final long serialVersionUID = 1L;
    private final String path;
    private final String token;

    Unlock(String path, String token, Instant now) {
      super(now);
      this.path = path;
      this.token = token;
    }

    @Override
    Outcome apply(List<ActiveLock> live) {
      boolean removed = live.removeIf(l -> l.token().equals(token) && l.covers(path));
      return removed
          ? Outcome.count(1)
          : Outcome.fail(
              CairnException.Kind.CONFLICT,
              "no lock " + token + " covers " + path + " (RFC 4918 §9.11.1)");
    }
  }

  static final class RemoveTree extends Op {
    @Serial private static final long serialVersionUID = 1L;
    private final String path;

    RemoveTree(String path, Instant now) {
      super(now);
      this.path = path;
    }

    @Override
    Outcome apply(List<ActiveLock> live) {
      int before = live.size();
      live.removeIf(l -> TreePaths.isSameOrBelow(l.root(), path));
      return Outcome.count(before - live.size());
    }
  }
}
