-- Schema version 9, PostgreSQL: garbage collection's record of the chunks it is deleting (ADR
-- 0015). Kept parallel to db/sqlite/V9__chunk_deletions.sql.
-- The deletion epoch: one row, raised by one at each batch announced or ended, under its row lock,
-- so that its values follow the order in which those writes commit.
CREATE TABLE gc_epoch (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  epoch  BIGINT NOT NULL
);
INSERT INTO gc_epoch (id, epoch) VALUES (1, 0);

-- One row per chunk of a batch: the epoch that announced the batch (its id), the epoch that ended
-- it (null while its deletions may be in flight), and when it was announced (epoch milliseconds,
-- gc's clock) for housekeeping.
CREATE TABLE gc_deletions (
  hash          TEXT COLLATE "C" NOT NULL,
  batch         BIGINT NOT NULL,
  ended         BIGINT,
  announced_at  BIGINT NOT NULL,
  PRIMARY KEY (hash, batch)
);
CREATE INDEX gc_deletions_by_batch ON gc_deletions (batch);
