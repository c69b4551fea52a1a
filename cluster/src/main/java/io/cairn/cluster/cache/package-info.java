/**
 * The metadata near-cache every node keeps in front of the shared journal: entries by path and
 * directory listings, checked against the namespace's newest jid on every read so that a write
 * through any node is seen by the next read on every node (design invariant 6). See
 * docs/adr/0005-metadata-near-cache.md for why this and not Hazelcast's near-cached maps.
 */
package io.cairn.cluster.cache;
