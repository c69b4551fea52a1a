package io.cairn.cluster.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Function;

/**
 * Builds the Hazelcast configuration of a node and starts Vert.x clustered on it.
 *
 * <p>The base is Vert.x's own default Hazelcast configuration (it declares the maps the clustered
 * event bus needs); on top: multicast and cloud auto-detection off, TCP-IP join on the listed
 * members, Hazelcast bound to one interface, and the join and failure-detection timings shortened
 * from tens of seconds to a few.
 */
public final class HazelcastSetup {
  private HazelcastSetup() {}

  /** The Hazelcast configuration for {@code settings}. */
  public static Config config(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster in its own close(); Hazelcast's hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Untuned, a join waits 5 s before and up to 20 s during (stack notes: 7.5-11.4 s measured).
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    // The limit on a join in progress, not a wait: past it the node shuts down ("Could not join
    // cluster"). 10 s was exceeded by nodes joining together on a loaded 2-core machine.
    config.setProperty("hazelcast.max.join.seconds", "60");
    // Nodes started together may each form a cluster of one; merge them in seconds, not minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "3");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "3");
    long silent = Math.max(2, settings.failureDetection().toSeconds());
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(silent));
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.setPublicAddress(settings.host() + ":" + settings.port());
    network.getInterfaces().setEnabled(true).clear().addInterface(settings.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    join.getTcpIpConfig().getMembers().clear();
    for (String member : settings.members()) {
      join.getTcpIpConfig().addMember(member);
    }
    return config;
  }

  /** A clustered Vert.x and the Hazelcast member under it. */
  public record Node(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {}

  /**
   * Starts Vert.x clustered per {@code settings}; completes once this node has joined (or formed)
   * the cluster and its event bus listens. Fails when Hazelcast cannot bind its port.
   *
   * @param builder makes a Vert.x builder from the options given (which carry the event bus
   *     address): {@code Vertx.builder().with(options)}, or one that adds metrics
   */
  public static Future<Node> start(
      ClusterSettings settings, Function<VertxOptions, VertxBuilder> builder) {
    HazelcastClusterManager manager = new HazelcastClusterManager(config(settings));
    VertxOptions options = new VertxOptions();
    EventBusOptions bus = options.getEventBusOptions();
    bus.setHost(settings.eventBusHost()).setPort(settings.eventBusPort());
    bus.setClusterPublicHost(settings.eventBusHost());
    return builder
        .apply(options)
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> new Node(vertx, manager.getHazelcastInstance(), manager.getNodeId()));
  }
}
