/**
 * {@code cairn fsck}: a read-only integrity check of a journal and its chunk store (design
 * invariant 3). {@link io.cairn.server.fsck.Fsck} walks what the journal keeps, {@link
 * io.cairn.server.fsck.ChunkChecker} asks the chunk store about the chunks it names in batches,
 * {@link io.cairn.server.fsck.FsckCommand} is the command line.
 */
package io.cairn.server.fsck;
