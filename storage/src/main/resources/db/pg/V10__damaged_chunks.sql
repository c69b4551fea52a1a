-- Schema version 10, PostgreSQL: integrity (ADR 0016). Kept parallel to
-- db/sqlite/V10__damaged_chunks.sql.
-- One row per chunk found missing from the chunk store or not hashing to its name, by fsck
-- --repair or the background scrub: every version that names it is damaged, and reads of it are
-- refused with a clear error instead of short content. found_at is epoch milliseconds.
CREATE TABLE damaged_chunks (
  hash      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  problem   TEXT NOT NULL,
  found_at  BIGINT NOT NULL
);

-- Small state of background maintenance that outlives a restart (Journal.maintenanceValue): the
-- scrub's position in the chunk store. updated_at is epoch milliseconds.
CREATE TABLE maintenance_values (
  key         TEXT NOT NULL PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);
