/**
 * Cairn's WebDAV front door (RFC 4918 class 1; class 2 comes from {@code io.cairn.webdav.lock}):
 * the mapping of URLs to namespace paths, the resources milton sees, the streaming of content
 * through the chunker into the chunk store and back, and the one table that turns storage failures
 * into HTTP statuses.
 *
 * <p>Everything here sees only the storage interfaces ({@link io.cairn.storage.Journal}, {@link
 * io.cairn.storage.ChunkStore}); the server module chooses the backends. Request processing is
 * blocking code on virtual threads: it waits on the storage futures through {@link
 * io.cairn.files.Await} and never runs on a Vert.x event loop.
 */
package io.cairn.webdav;
