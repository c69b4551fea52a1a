/**
 * Joining a cluster: the Hazelcast configuration built from {@link
 * io.cairn.cluster.node.ClusterSettings} (TCP-IP members on explicit addresses, no multicast, no
 * cloud auto-detection, join tuned to seconds) and a Vert.x started clustered on it, so that the
 * event bus and the Hazelcast maps span every node.
 */
package io.cairn.cluster.node;
