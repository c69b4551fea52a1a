package io.cairn.cluster.node;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one node joins its cluster.
 *
 * @param name the cluster name: nodes with different names never join each other
 * @param host the address Hazelcast binds to and announces (an interface of this machine)
 * @param port the Hazelcast member port
 * @param members every member as {@code host:port}, this node included or not; one port each
 *     (Hazelcast's {@code 5701-5703} ranges are not accepted here)
 * @param eventBusHost the address the Vert.x event bus binds to and announces
 * @param eventBusPort the event bus port; 0 picks a free one
 * @param failureDetection how long a silent member stays in the cluster before it is declared dead
 */
public record ClusterSettings(
    String name,
    String host,
    int port,
    List<String> members,
    String eventBusHost,
    int eventBusPort,
    Duration failureDetection) {

  public ClusterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(eventBusHost, "eventBusHost");
    Objects.requireNonNull(failureDetection, "failureDetection");
    members = List.copyOf(members);
    for (String member : members) {
      requireMember(member);
    }
  }

  /** Fails with IllegalArgumentException, naming the problem, when {@code member} is not host:port. */
  public static void requireMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      throw new IllegalArgumentException("a member must be host:port, not " + member);
    }
    String port = member.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("member port out of range: " + member);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "a member must be host:port with one port (no ranges), not " + member);
    }
  }
}
