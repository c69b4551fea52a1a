package io.cairn.cluster.lock;

import io.cairn.cluster.node.TestMembers;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock contract on Hazelcast: two real members in this JVM; the manager under test talks to
 * the first, so about half of the namespaces live on the other member and every call crosses TCP.
 */
class HazelcastLockManagerTest extends LockManagerContractTest {
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
    return new HazelcastLockManager(members.member(0), "locks-" + UUID.randomUUID(), clock);
  }
}
