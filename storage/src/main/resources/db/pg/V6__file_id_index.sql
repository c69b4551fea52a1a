-- Schema version 6, PostgreSQL: entries found by file id (the versions endpoint of the Nextcloud
-- and ownCloud clients names a file by its id). Kept parallel to db/sqlite/V6__file_id_index.sql.
CREATE INDEX entries_by_file_id ON entries (ns, file_id);
