/**
 * The journal in an embedded SQLite database ({@link io.cairn.storage.sqlite.SqliteJournal}): the
 * single-node default, chosen by a {@code sqlite:} URI. One writer thread serializes and
 * group-commits every write; reads see WAL snapshots through a few connections of their own, on
 * the caller's virtual thread or on reader threads. The schema's migrations live in
 * {@code db/sqlite/} on the classpath.
 */
package io.cairn.storage.sqlite;
