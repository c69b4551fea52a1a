/**
 * Caches in front of the storage backends. Chunks are named by their content, so a cached chunk
 * can never be stale, on any node: {@link io.cairn.storage.cache.CachingChunkStore} needs no
 * invalidation but its own deletes.
 */
package io.cairn.storage.cache;
