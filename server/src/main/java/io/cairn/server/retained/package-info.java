/**
 * What the journal retains, walked page by page: every namespace, every journal row, every stored
 * entry, every file in the trash. {@code cairn fsck} checks the chunks this walk meets and chunk
 * garbage collection keeps them; a retention policy that lets versions expire narrows what counts
 * as retained here, once, for both.
 */
package io.cairn.server.retained;
