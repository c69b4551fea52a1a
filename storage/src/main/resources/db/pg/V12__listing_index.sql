-- Schema version 12, PostgreSQL: a Depth 1 listing answered from the index by parent alone (issue
-- 16, figure 9; docs/adr/0017-entries-clustered-by-parent.md). entries_by_parent becomes a
-- covering index: besides its key (ns, parent, name) it holds every column a listing shows
-- (PgRows.LISTED_COLUMNS; the path is the parent and the name), so that Journal.listing is an
-- index-only scan, a few neighbouring index pages for a folder's children, instead of one heap
-- page per child wherever commits put it. Not the blocklist (up to 36 KiB, where an index tuple
-- holds about 2,700 bytes): Journal.children, which returns it, still reads the heap.
-- Built under a new name and swapped in, in the migration's transaction: the table takes no
-- writes while the index is built (seconds per million entries). SQLite needs no such step: its
-- entries table is itself in (ns, parent, name) order since its V11.

CREATE INDEX entries_by_parent_v12 ON entries (ns, parent, name)
  INCLUDE (kind, size, mtime, content_hash, version, created, file_id, tree_version, tree_size);
DROP INDEX entries_by_parent;
ALTER INDEX entries_by_parent_v12 RENAME TO entries_by_parent;
