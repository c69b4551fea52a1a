/** Test fixtures: real Hazelcast members on loopback. */
package io.cairn.cluster.node;
