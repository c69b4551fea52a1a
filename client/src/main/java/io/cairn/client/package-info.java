/**
 * {@code cairn sync}: a two-way sync client over the sync API (docs/api.md). It keeps a local
 * index of what both sides last agreed on (the base), follows the server's changes from a cursor,
 * cuts files with the server's chunker so only changed chunks travel, and settles conflicts
 * without dropping either side. Depends on {@code core}, the JDK's HTTP client and SQLite only.
 */
package io.cairn.client;
