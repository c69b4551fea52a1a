/**
 * The S3 {@link io.cairn.storage.ChunkStore}: {@link io.cairn.storage.s3.S3ChunkStore} keeps each
 * chunk as one object in a bucket of MinIO, AWS or any S3-compatible server, through minio-java.
 * Chosen by a {@code s3://} URI ({@link io.cairn.storage.s3.S3Config}); the backend for a cluster.
 */
package io.cairn.storage.s3;
