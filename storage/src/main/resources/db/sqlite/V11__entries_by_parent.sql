-- Schema version 11, SQLite: the current tree stored in listing order (issue 16, figure 9;
-- docs/adr/0017-entries-clustered-by-parent.md). entries becomes a WITHOUT ROWID table keyed
-- (ns, parent, name): a folder's children sit side by side in the table's own b-tree, so a Depth 1
-- listing reads a few neighbouring pages instead of one page per child at wherever its rowid put
-- it (a tree grown by commits over time scatters a folder's rows). Lookups by path go through a
-- unique index on (ns, path), which now leads to the key instead of a rowid: as many searches as
-- before. The old entries_by_parent index is the table itself now, so a new entry writes one
-- b-tree less. No column changes; db/pg has no V11 of this kind (see the ADR).

CREATE TABLE entries_v11 (
  ns            TEXT    NOT NULL,
  path          TEXT    NOT NULL,
  parent        TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  mtime         INTEGER NOT NULL,
  content_hash  TEXT,
  blocklist     BLOB,
  version       INTEGER NOT NULL,
  created       INTEGER NOT NULL,
  file_id       INTEGER NOT NULL DEFAULT 0,
  tree_version  INTEGER NOT NULL DEFAULT 0,
  tree_size     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ns, parent, name)
) WITHOUT ROWID;

-- Copied in key order: the new b-tree is written from left to right, its pages full.
INSERT INTO entries_v11 (ns, path, parent, name, kind, size, mtime, content_hash, blocklist,
    version, created, file_id, tree_version, tree_size)
  SELECT ns, path, parent, name, kind, size, mtime, content_hash, blocklist, version, created,
      file_id, tree_version, tree_size
    FROM entries ORDER BY ns, parent, name;

DROP TABLE entries;
ALTER TABLE entries_v11 RENAME TO entries;
CREATE UNIQUE INDEX entries_by_path ON entries (ns, path);
CREATE INDEX entries_by_file_id ON entries (ns, file_id);
