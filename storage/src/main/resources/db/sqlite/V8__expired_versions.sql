-- Schema version 8, SQLite: retention (ADR 0014). Kept parallel to db/pg/V8__expired_versions.sql.
-- One row per commit whose retained content has expired: a PUT's version, or the entries a
-- removing commit (Delete, or Move/Copy over a destination) put in the trash. The journal and
-- trash rows stay; history shows the version as expired and garbage collection, once
-- gc.grace.hours have passed since expired_at, no longer keeps its chunks. Epoch milliseconds.
CREATE TABLE expired_versions (
  ns          TEXT    NOT NULL,
  jid         INTEGER NOT NULL,
  expired_at  INTEGER NOT NULL,
  PRIMARY KEY (ns, jid)
) WITHOUT ROWID;

-- Settings an admin recorded for one namespace, each overriding the server's configuration key of
-- the same name there (today the retention.* keys): one row per namespace and key.
CREATE TABLE namespace_settings (
  ns     TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (ns, key)
);
