/**
 * Metrics as decorators over the cluster interfaces: {@link
 * io.cairn.cluster.metered.MeteredLockManager} wraps any lock manager. See docs/metrics.md.
 */
package io.cairn.cluster.metered;
