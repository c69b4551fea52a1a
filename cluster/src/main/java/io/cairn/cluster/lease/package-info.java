/**
 * One-node-at-a-time work: named leases that lapse by themselves unless renewed, so a node that
 * dies while holding one frees it ({@link io.cairn.cluster.lease.Leases}); {@link
 * io.cairn.cluster.lease.LocalLeases} for a single node, {@link
 * io.cairn.cluster.lease.HazelcastLeases} for a cluster. Chunk garbage collection runs under one.
 */
package io.cairn.cluster.lease;
