/**
 * The storage core: the {@link io.cairn.storage.Journal} of every file version with the current
 * tree, the content-addressed {@link io.cairn.storage.ChunkStore}, and the chunker that cuts
 * content into chunks. Knows nothing of HTTP, WebDAV, milton or Hazelcast.
 *
 * <p>Backends live in sub-packages named after them and are chosen by URI scheme in the server.
 */
package io.cairn.storage;
