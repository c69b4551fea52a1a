/**
 * The local-disk {@link io.cairn.storage.ChunkStore}: {@link io.cairn.storage.fs.FsChunkStore}
 * keeps each chunk as one file in a fan-out directory tree, written atomically and fsynced, with
 * all blocking file I/O on virtual threads. Chosen by a {@code file:} URI; for a single node only.
 */
package io.cairn.storage.fs;
