-- Schema version 8, PostgreSQL: retention (ADR 0014). Kept parallel to
-- db/sqlite/V8__expired_versions.sql.
-- One row per commit whose retained content has expired: a PUT's version, or the entries a
-- removing commit (Delete, or Move/Copy over a destination) put in the trash. The journal and
-- trash rows stay; history shows the version as expired and garbage collection, once
-- gc.grace.hours have passed since expired_at, no longer keeps its chunks.
CREATE TABLE expired_versions (
  ns          TEXT COLLATE "C" NOT NULL,
  jid         BIGINT NOT NULL,
  expired_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ns, jid)
);

-- Settings an admin recorded for one namespace, each overriding the server's configuration key of
-- the same name there (today the retention.* keys): one row per namespace and key.
CREATE TABLE namespace_settings (
  ns     TEXT COLLATE "C" NOT NULL,
  key    TEXT NOT NULL,
  value  BIGINT NOT NULL,
  PRIMARY KEY (ns, key)
);
