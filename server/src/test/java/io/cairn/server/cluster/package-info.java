/** Cluster mode end to end: nodes as separate JVM processes on loopback, real PostgreSQL and S3. */
package io.cairn.server.cluster;
