/**
 * The storage core: the {@link io.cairn.storage.Journal} of every file version with the current
 * tree and the content-addressed {@link io.cairn.storage.ChunkStore}, with their backends; the
 * chunker, chunk names and blocklists they hold come from {@code io.cairn.core}. Knows nothing of
 * HTTP, WebDAV, milton or Hazelcast.
 *
 * <p>Backends live in sub-packages named after them and are chosen by URI scheme in the server.
 */
package io.cairn.storage;
