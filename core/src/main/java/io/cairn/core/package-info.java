/**
 * What a Cairn client shares with the server: the chunker ({@link io.cairn.core.chunk}), chunk
 * names ({@link io.cairn.core.ChunkHash}), blocklists ({@link io.cairn.core.Blocklist}), the
 * content hash and ETag ({@link io.cairn.core.ContentHash}), path rules ({@link
 * io.cairn.core.TreePaths}) and the error kinds with their HTTP statuses ({@link
 * io.cairn.core.CairnException.Kind}).
 *
 * <p>Depends on the JDK alone, so that the sync client can use it without pulling in Vert.x,
 * database and S3 drivers or milton. Interfaces and backends live in {@code io.cairn.storage}.
 */
package io.cairn.core;
