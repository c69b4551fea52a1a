-- Start-up maintenance steps done once per database, PostgreSQL, schema version 3. Kept parallel
-- to db/sqlite/V3__maintenance.sql. A row means the step finished (Journal.recordMaintenanceDone),
-- such as "nfc-names" (NfcNames, docs/names.md); done_at is epoch milliseconds.
CREATE TABLE maintenance (
  step     TEXT COLLATE "C" PRIMARY KEY,
  done_at  BIGINT NOT NULL
);
