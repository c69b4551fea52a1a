-- Trash, scoped dedup and the chunk references garbage collection marks from, SQLite, schema
-- version 4. Kept parallel to db/pg/V4__trash_and_chunk_refs.sql. Times are epoch milliseconds.

-- One row per commit that removed entries (a Delete, or a Move/Copy that replaced its
-- destination): the removed subtree's root, who removed it and when, and its totals.
CREATE TABLE trash_roots (
  ns      TEXT    NOT NULL,
  jid     INTEGER NOT NULL,
  path    TEXT    NOT NULL,
  kind    TEXT    NOT NULL,
  bytes   INTEGER NOT NULL,
  files   INTEGER NOT NULL,
  author  TEXT,
  at      INTEGER NOT NULL,
  PRIMARY KEY (ns, jid)
);
CREATE INDEX trash_roots_by_path ON trash_roots (ns, path, jid);

-- Every entry a commit removed, as it was just before (version: the jid that last wrote it).
-- Dead properties are not kept.
CREATE TABLE trash_entries (
  ns            TEXT    NOT NULL,
  jid           INTEGER NOT NULL,
  path          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  mtime         INTEGER NOT NULL,
  content_hash  TEXT,
  blocklist     BLOB,
  version       INTEGER NOT NULL,
  created       INTEGER NOT NULL,
  PRIMARY KEY (ns, jid, path)
);

-- One row per namespace and chunk (lowercase hex SHA-256) that any PUT of the namespace's journal
-- named: what a user of the namespace may claim to have (design invariant 7), and what garbage
-- collection keeps.
CREATE TABLE chunk_refs (
  ns    TEXT NOT NULL,
  hash  TEXT NOT NULL,
  PRIMARY KEY (ns, hash)
) WITHOUT ROWID;

-- The newest upload of each chunk by each user ('' for an anonymous site): an upload may be
-- committed by its uploader for an hour without the chunk being referenced yet.
CREATE TABLE chunk_uploads (
  user_name  TEXT    NOT NULL,
  hash       TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (user_name, hash)
) WITHOUT ROWID;

-- Backfill from the journal: a blocklist is 36 bytes per block, the 32 hash bytes first.
INSERT OR IGNORE INTO chunk_refs (ns, hash)
WITH RECURSIVE blocks (ns, list, i) AS (
  SELECT ns, blocklist, 0 FROM journal
    WHERE kind = 'PUT' AND blocklist IS NOT NULL AND length(blocklist) >= 36
  UNION ALL
  SELECT ns, list, i + 1 FROM blocks WHERE (i + 2) * 36 <= length(list)
)
SELECT ns, lower(hex(substr(list, i * 36 + 1, 32))) FROM blocks;
