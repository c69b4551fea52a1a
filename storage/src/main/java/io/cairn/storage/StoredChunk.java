package io.cairn.storage;

import io.cairn.core.ChunkHash;
import java.time.Instant;

/**
 * A chunk as its store keeps it, as {@link ChunkStore#listStored} reports it.
 *
 * @param hash its name
 * @param size its length in bytes
 * @param lastModified when it was stored, or last found present by a {@link ChunkStore#put}
 *     (see there): garbage collection keeps a chunk younger than its grace period
 */
public record StoredChunk(ChunkHash hash, long size, Instant lastModified) {}
