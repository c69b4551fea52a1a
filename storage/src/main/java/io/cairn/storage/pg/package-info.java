/**
 * The journal on PostgreSQL ({@link io.cairn.storage.pg.PgJournal}), for clusters: several server
 * nodes share one database, and the database's row locks order their commits. The schema lives in
 * {@code db/pg/V*.sql} and is applied on open.
 */
package io.cairn.storage.pg;
