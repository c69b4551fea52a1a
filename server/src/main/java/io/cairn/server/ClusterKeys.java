package io.cairn.server;

import io.cairn.cluster.node.ClusterSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cluster.*} configuration keys (see {@code conf/cairn.properties}), and the rule that
 * a clustered node must keep its journal and chunks where every node can reach them.
 */
final class ClusterKeys {
  static final Set<String> KEYS =
      Set.of(
          "cluster.enabled",
          "cluster.name",
          "cluster.host",
          "cluster.port",
          "cluster.members",
          "cluster.eventbus.host",
          "cluster.eventbus.port",
          "cluster.failure.seconds");

  private ClusterKeys() {}

  /** The cluster settings, or null when {@code cluster.enabled} is not true. */
  static ClusterSettings parse(Map<String, String> values, String journalUri, String chunksUri) {
    String enabled = values.getOrDefault("cluster.enabled", "false").trim().toLowerCase(Locale.ROOT);
    if (!enabled.equals("true")) {
      if (!enabled.equals("false")) {
        throw new ServerConfig.InvalidConfig("cluster.enabled must be true or false, not " + enabled);
      }
      return null;
    }
    refuseNodeLocal(journalUri, chunksUri);
    String host = address("cluster.host", values.getOrDefault("cluster.host", "127.0.0.1"));
    int port = (int) ServerConfig.number(values, "cluster.port", 5701, 1, 65535);
    List<String> members =
        Arrays.stream(values.getOrDefault("cluster.members", host + ":" + port).split("[,\\s]+"))
            .filter(s -> !s.isBlank())
            .toList();
    try {
      return new ClusterSettings(
          values.getOrDefault("cluster.name", "cairn"),
          host,
          port,
          members,
          address("cluster.eventbus.host", values.getOrDefault("cluster.eventbus.host", host)),
          (int) ServerConfig.number(values, "cluster.eventbus.port", 0, 0, 65535),
          Duration.ofSeconds(ServerConfig.number(values, "cluster.failure.seconds", 10, 2, 600)));
    } catch (IllegalArgumentException e) {
      throw new ServerConfig.InvalidConfig("cluster.members: " + e.getMessage());
    }
  }

  /**
   * The address a host name stands for: Hazelcast binds to an address and refuses a name (a node
   * with {@code cluster.host = node1} exited with 90 lines of trace), so a name is resolved here,
   * and one that does not resolve is refused as configuration (exit 2).
   */
  static String address(String key, String host) {
    String h = host.trim();
    try {
      return java.net.InetAddress.getByName(h).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new ServerConfig.InvalidConfig(key + ": " + h + " is not an address of this machine or a name that resolves");
    }
  }

  /**
   * Every node must see every commit and every chunk: an embedded journal or chunks on one node's
   * disk would give each node its own files.
   */
  private static void refuseNodeLocal(String journalUri, String chunksUri) {
    if (journalUri.regionMatches(true, 0, "sqlite:", 0, 7)) {
      throw new ServerConfig.InvalidConfig(
          "cluster.enabled = true needs a journal all nodes share, but journal.uri is "
              + journalUri
              + ", an embedded SQLite file on this node's disk: set journal.uri = postgresql://...");
    }
    if (chunksUri.regionMatches(true, 0, "file:", 0, 5)) {
      throw new ServerConfig.InvalidConfig(
          "cluster.enabled = true needs a chunk store all nodes share, but chunks.uri is "
              + chunksUri
              + ", a directory on this node's disk: set chunks.uri = s3://...");
    }
  }
}
