-- Start-up maintenance steps done once per database, SQLite, schema version 3. Kept parallel to
-- db/pg/V3__maintenance.sql. A row means the step finished (Journal.recordMaintenanceDone), such
-- as "nfc-names" (NfcNames, docs/names.md); done_at is epoch milliseconds.
CREATE TABLE maintenance (
  step     TEXT    NOT NULL PRIMARY KEY,
  done_at  INTEGER NOT NULL
);
