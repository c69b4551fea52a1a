package io.cairn.cluster.lock;

import java.time.Clock;

/** The randomized model check on the in-memory backend. */
class LocalLockManagerModelTest extends LockManagerModelTest {
  @Override
  protected LockManager create(Clock clock) {
    return new LocalLockManager(clock);
  }
}
