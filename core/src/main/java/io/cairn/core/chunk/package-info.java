/**
 * The chunker: cuts content into content-defined chunks with FastCDC (Xia et al., TPDS 2020) and
 * names each chunk by its SHA-256, so that an edit in the middle of a large file changes only the
 * chunks around it and every other chunk is stored once.
 *
 * <p>{@link io.cairn.core.chunk.Chunker} finds cut points in memory; {@link
 * io.cairn.core.chunk.ChunkStream} cuts an {@link java.io.InputStream} in bounded memory and
 * yields {@link io.cairn.core.chunk.Chunk}s one at a time; {@link
 * io.cairn.core.chunk.ParallelChunkStream} hashes them on other threads while the stream goes
 * on. {@link io.cairn.core.chunk.ChunkerParams} holds the minimum, average and maximum chunk
 * sizes.
 *
 * <p>Stored data depends on where the cuts fall: the gear table, the masks and the cut rule are
 * part of Cairn's storage format and must never change for given parameters.
 */
package io.cairn.core.chunk;
