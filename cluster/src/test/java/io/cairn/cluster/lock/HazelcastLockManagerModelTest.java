package io.cairn.cluster.lock;

import io.cairn.cluster.node.TestMembers;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The randomized model check on Hazelcast, on two real members in this JVM. */
class HazelcastLockManagerModelTest extends LockManagerModelTest {
  private static TestMembers members;

  @BeforeAll
  static void startMembers() {
    members = TestMembers.start(2);
  }

  @AfterAll
  static void stopMembers() {
    members.close();
  }

  @Override
  protected LockManager create(Clock clock) {
    return new HazelcastLockManager(members.member(1), "locks-" + UUID.randomUUID(), clock);
  }

  @Override
  protected int operations() {
    return 120;
  }
}
