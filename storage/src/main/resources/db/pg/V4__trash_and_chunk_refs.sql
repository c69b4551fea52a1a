-- Trash, scoped dedup and the chunk references garbage collection marks from, PostgreSQL, schema
-- version 4. Kept parallel to db/sqlite/V4__trash_and_chunk_refs.sql.

-- One row per commit that removed entries (a Delete, or a Move/Copy that replaced its
-- destination): the removed subtree's root, who removed it and when, and its totals.
CREATE TABLE trash_roots (
  ns      TEXT COLLATE "C" NOT NULL,
  jid     BIGINT NOT NULL,
  path    TEXT COLLATE "C" NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('FILE', 'DIRECTORY')),
  bytes   BIGINT NOT NULL,
  files   BIGINT NOT NULL,
  author  TEXT,
  at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ns, jid)
);
CREATE INDEX trash_roots_by_path ON trash_roots (ns, path, jid);

-- Every entry a commit removed, as it was just before (version: the jid that last wrote it).
-- Dead properties are not kept.
CREATE TABLE trash_entries (
  ns            TEXT COLLATE "C" NOT NULL,
  jid           BIGINT NOT NULL,
  path          TEXT COLLATE "C" NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('FILE', 'DIRECTORY')),
  size          BIGINT NOT NULL,
  mtime         TIMESTAMPTZ NOT NULL,
  content_hash  TEXT,
  blocklist     BYTEA,
  version       BIGINT NOT NULL,
  created       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ns, jid, path)
);

-- One row per namespace and chunk (lowercase hex SHA-256) that any PUT of the namespace's journal
-- named: what a user of the namespace may claim to have (design invariant 7), and what garbage
-- collection keeps.
CREATE TABLE chunk_refs (
  ns    TEXT COLLATE "C" NOT NULL,
  hash  TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (ns, hash)
);

-- The newest upload of each chunk by each user ('' for an anonymous site), epoch milliseconds:
-- an upload may be committed by its uploader for an hour without the chunk being referenced yet.
CREATE TABLE chunk_uploads (
  user_name  TEXT COLLATE "C" NOT NULL,
  hash       TEXT COLLATE "C" NOT NULL,
  at         BIGINT NOT NULL,
  PRIMARY KEY (user_name, hash)
);

-- Backfill from the journal: a blocklist is 36 bytes per block, the 32 hash bytes first.
INSERT INTO chunk_refs (ns, hash)
SELECT DISTINCT j.ns, encode(substring(j.blocklist FROM g * 36 + 1 FOR 32), 'hex')
FROM journal j, generate_series(0, length(j.blocklist) / 36 - 1) AS g
WHERE j.kind = 'PUT' AND j.blocklist IS NOT NULL
ON CONFLICT DO NOTHING;
