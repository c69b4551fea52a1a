package io.cairn.cluster.node;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real Hazelcast members in the test JVM, joined over TCP on 127.0.0.1 with the production
 * configuration ({@link HazelcastSetup#config}), each under a fresh cluster name.
 */
public final class TestMembers implements AutoCloseable {
  private final List<HazelcastInstance> members = new ArrayList<>();

  private TestMembers() {}

  /** Starts {@code count} members of one new cluster; returns once all have joined. */
  public static TestMembers start(int count) {
    return start(count, c -> {});
  }

  /** Starts {@code count} members, each with its configuration changed by {@code customize}. */
  public static TestMembers start(int count, java.util.function.Consumer<Config> customize) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(freePort());
    }
    List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    String name = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    TestMembers t = new TestMembers();
    for (int port : ports) {
      ClusterSettings s =
          new ClusterSettings(
              name, "127.0.0.1", port, addresses, "127.0.0.1", 0, Duration.ofSeconds(5));
      Config config = HazelcastSetup.config(s);
      customize.accept(config);
      t.members.add(Hazelcast.newHazelcastInstance(config));
    }
    return t;
  }

  public HazelcastInstance member(int i) {
    return members.get(i);
  }

  /** Kills member {@code i} without a goodbye, as kill -9 would. */
  public void crash(int i) {
    members.get(i).getLifecycleService().terminate();
  }

  @Override
  public void close() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
