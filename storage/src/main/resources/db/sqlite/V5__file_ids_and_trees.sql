-- File ids, tree versions and tree sizes, SQLite, schema version 5
-- (docs/adr/0009-file-ids-and-tree-etags.md). Kept parallel to db/pg/V5__file_ids_and_trees.sql.

-- The last file id handed out, in one row: ids come from here, never from rowid, so that an id
-- is never handed out twice, also not after the newest entry was deleted or after a VACUUM.
CREATE TABLE file_id_counter (
  one      INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
  last_id  INTEGER NOT NULL
);

-- The root is not stored in entries: its id lives with its namespace. Its tree version and tree
-- size are the namespace's last_jid and used_bytes.
ALTER TABLE namespaces ADD COLUMN root_file_id INTEGER NOT NULL DEFAULT 0;

-- file_id: stable for the life of a file (overwrites, moves). tree_version: for a directory the
-- newest jid at or below it, for a file its version. tree_size: for a directory the bytes of the
-- files below it, for a file its size. Kept by every commit for the entry and its ancestors.
ALTER TABLE entries ADD COLUMN file_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN tree_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN tree_size INTEGER NOT NULL DEFAULT 0;

-- The trash keeps the three as they were; entries trashed before this version keep file id 0.
ALTER TABLE trash_entries ADD COLUMN file_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trash_entries ADD COLUMN tree_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trash_entries ADD COLUMN tree_size INTEGER NOT NULL DEFAULT 0;
UPDATE trash_entries SET tree_version = version, tree_size = size;

-- Backfill. Roots take 1..n in name order, entries n + rowid: distinct, and the counter starts
-- above them all.
UPDATE namespaces SET root_file_id =
  (SELECT count(*) FROM namespaces AS o WHERE o.ns <= namespaces.ns);
UPDATE entries SET file_id = rowid + (SELECT count(*) FROM namespaces);
INSERT INTO file_id_counter (one, last_id) VALUES (1,
  max((SELECT count(*) FROM namespaces), (SELECT coalesce(max(file_id), 0) FROM entries)));

-- A directory's tree version becomes the newest version at or below it: deletes below it
-- before this migration left no entry to count, but no client has seen a tree version yet, so
-- any value works as a start, and from now on every commit raises its ancestors' to its jid.
-- (The namespace's last_jid would do too; the newest version below keeps untouched folders'
-- ETags apart and spares clients a re-scan of every folder when the next change lands.)
-- Both are read by the (ns, path) range of the subtree, like every subtree in the journal.
UPDATE entries SET tree_version = version, tree_size = size WHERE kind = 'FILE';
UPDATE entries SET
  tree_version = (SELECT max(b.version) FROM entries AS b WHERE b.ns = entries.ns
    AND (b.path = entries.path OR (b.path > entries.path || '/' AND b.path < entries.path || '0'))),
  tree_size = (SELECT coalesce(sum(b.size), 0) FROM entries AS b WHERE b.ns = entries.ns
    AND b.path > entries.path || '/' AND b.path < entries.path || '0')
  WHERE kind = 'DIRECTORY';
