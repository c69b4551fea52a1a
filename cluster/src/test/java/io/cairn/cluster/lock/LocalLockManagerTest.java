package io.cairn.cluster.lock;

import java.time.Clock;

/** The lock contract on the in-memory backend. */
class LocalLockManagerTest extends LockManagerContractTest {
  @Override
  protected LockManager create(Clock clock) {
    return new LocalLockManager(clock);
  }
}
