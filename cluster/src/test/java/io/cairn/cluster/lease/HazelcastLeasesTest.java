package io.cairn.cluster.lease;

import io.cairn.cluster.node.TestMembers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lease contract on two real Hazelcast members in this JVM, one view each. */
class HazelcastLeasesTest extends LeasesContractTest {
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
  protected Leases node(int i) {
    return new HazelcastLeases(members.member(i));
  }

  /** Hazelcast expires entries on its own time: wait out the lease, and a little more. */
  @Override
  protected void letLapse() {
    try {
      Thread.sleep(SHORT.toMillis() + 1_500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
