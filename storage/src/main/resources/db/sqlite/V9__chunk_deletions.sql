-- Schema version 9, SQLite: garbage collection's record of the chunks it is deleting (ADR
-- 0015). Kept parallel to db/pg/V9__chunk_deletions.sql.
-- The deletion epoch: one row, raised by one at each batch announced or ended by the one writer,
-- so that its values follow the order in which those writes commit.
CREATE TABLE gc_epoch (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  epoch  INTEGER NOT NULL
);
INSERT INTO gc_epoch (id, epoch) VALUES (1, 0);

-- One row per chunk of a batch: the epoch that announced the batch (its id), the epoch that ended
-- it (null while its deletions may be in flight), and when it was announced (epoch milliseconds,
-- gc's clock) for housekeeping.
CREATE TABLE gc_deletions (
  hash          TEXT NOT NULL,
  batch         INTEGER NOT NULL,
  ended         INTEGER,
  announced_at  INTEGER NOT NULL,
  PRIMARY KEY (hash, batch)
);
CREATE INDEX gc_deletions_by_batch ON gc_deletions (batch);
