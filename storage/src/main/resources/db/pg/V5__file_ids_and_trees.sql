-- File ids, tree versions and tree sizes, PostgreSQL, schema version 5
-- (docs/adr/0009-file-ids-and-tree-etags.md). Kept parallel to db/sqlite/V5__file_ids_and_trees.sql.

-- Every file id comes from this sequence: unique across namespaces, never handed out twice.
CREATE SEQUENCE file_ids AS BIGINT;

-- The root is not stored in entries: its id lives with its namespace. Its tree version and tree
-- size are the namespace's last_jid and used_bytes.
ALTER TABLE namespaces ADD COLUMN root_file_id BIGINT NOT NULL DEFAULT nextval('file_ids');
ALTER TABLE namespaces ALTER COLUMN root_file_id DROP DEFAULT;

-- file_id: stable for the life of a file (overwrites, moves). tree_version: for a directory the
-- newest jid at or below it, for a file its version. tree_size: for a directory the bytes of the
-- files below it, for a file its size. Kept by every commit for the entry and its ancestors.
-- The volatile defaults fill existing rows with distinct ids; they are dropped afterwards so
-- that an insert that forgets the id fails instead of silently drawing one.
ALTER TABLE entries ADD COLUMN file_id BIGINT NOT NULL DEFAULT nextval('file_ids');
ALTER TABLE entries ALTER COLUMN file_id DROP DEFAULT;
ALTER TABLE entries ADD COLUMN tree_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN tree_size BIGINT NOT NULL DEFAULT 0;

-- The trash keeps the three as they were; entries trashed before this version keep file id 0.
ALTER TABLE trash_entries ADD COLUMN file_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trash_entries ADD COLUMN tree_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trash_entries ADD COLUMN tree_size BIGINT NOT NULL DEFAULT 0;
UPDATE trash_entries SET tree_version = version, tree_size = size;

-- A directory's tree version becomes the newest version at or below it: deletes below it
-- before this migration left no entry to count, but no client has seen a tree version yet, so
-- any value works as a start, and from now on every commit raises its ancestors' to its jid.
-- (The namespace's last_jid would do too; the newest version below keeps untouched folders'
-- ETags apart and spares clients a re-scan of every folder when the next change lands.)
UPDATE entries SET tree_version = version, tree_size = size WHERE kind = 'FILE';
UPDATE entries AS d SET
  tree_version = (SELECT max(b.version) FROM entries AS b WHERE b.ns = d.ns
    AND (b.path = d.path OR (b.path > d.path || '/' AND b.path < d.path || '0'))),
  tree_size = (SELECT coalesce(sum(b.size), 0) FROM entries AS b WHERE b.ns = d.ns
    AND b.path > d.path || '/' AND b.path < d.path || '0')
  WHERE d.kind = 'DIRECTORY';
