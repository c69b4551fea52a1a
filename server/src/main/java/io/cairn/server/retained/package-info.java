/**
 * What the journal retains, walked page by page: every namespace, every journal row, every stored
 * entry, every file in the trash, less what retention expired before the walk's cutoff (ADR 0014).
 * {@code cairn fsck} checks the chunks this walk meets and chunk garbage collection keeps them, so
 * expiry narrows what counts as retained here, once, for both.
 */
package io.cairn.server.retained;
