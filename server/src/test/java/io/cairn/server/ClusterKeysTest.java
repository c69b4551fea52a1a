package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.node.ClusterSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterKeysTest {
  private static final Map<String, String> SHARED =
      Map.of(
          "cluster.enabled", "true",
          "journal.uri", "postgresql://cairn@127.0.0.1:5432/cairn",
          "chunks.uri", "s3://bucket/prefix?endpoint=http://127.0.0.1:9000");

  private static Map<String, String> shared(String... kv) {
    Map<String, String> m = new HashMap<>(SHARED);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void singleNodeByDefault() {
    assertNull(ServerConfig.load(null, Map.of()).cluster());
  }

  @Test
  void membersHostsAndPortsFromTheKeys() {
    ClusterSettings c =
        ServerConfig.load(
                null,
                shared(
                    "cluster.members", "127.0.0.1:5701, 127.0.0.1:5702,127.0.0.1:5703",
                    "cluster.port", "5702",
                    "cluster.name", "team"))
            .cluster();
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), c.members());
    assertEquals(5702, c.port());
    assertEquals("team", c.name());
    assertEquals("127.0.0.1", c.host());
    assertEquals("127.0.0.1", c.eventBusHost());
    assertEquals(0, c.eventBusPort());
    assertEquals(Duration.ofSeconds(10), c.failureDetection());
  }

  @Test
  void refusesNodeLocalStorageAndSaysWhy() {
    assertMessage(
        "journal.uri is sqlite:",
        shared("journal.uri", "sqlite:/tmp/journal.db"));
    assertMessage("chunks.uri is file:", shared("chunks.uri", "file:/tmp/chunks"));
    // The defaults are node-local too.
    assertMessage("embedded SQLite", Map.of("cluster.enabled", "true"));
  }

  @Test
  void aHostNameIsResolvedToTheAddressHazelcastNeeds() {
    ClusterSettings c = ServerConfig.load(null, shared("cluster.host", "localhost", "cluster.members", "localhost:5701"))
        .cluster();
    assertEquals("127.0.0.1", c.host());
    assertEquals("127.0.0.1", c.eventBusHost());
    assertMessage("cluster.host: no-such-node.invalid is not an address", shared("cluster.host", "no-such-node.invalid"));
  }

  @Test
  void refusesPortRangesAndNonsense() {
    assertMessage("no ranges", shared("cluster.members", "127.0.0.1:5701-5703"));
    assertMessage("host:port", shared("cluster.members", "127.0.0.1"));
    assertMessage("cluster.enabled", Map.of("cluster.enabled", "yes"));
  }

  private static void assertMessage(String fragment, Map<String, String> values) {
    ServerConfig.InvalidConfig e =
        assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, values));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
