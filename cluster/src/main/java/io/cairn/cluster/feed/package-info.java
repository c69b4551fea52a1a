/**
 * The change feed: commits announced on the event bus so that long polls and event streams on
 * every node wake up when any node commits; the journal stays the only source of the changes.
 */
package io.cairn.cluster.feed;
