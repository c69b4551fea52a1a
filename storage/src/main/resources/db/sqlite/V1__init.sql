-- Cairn journal schema for SQLite, version 1 (docs/adr/0001-journal-schema.md).
-- Statements end with a semicolon at the end of a line; no semicolons inside literals.
-- Times are epoch milliseconds. Text compares with BINARY collation: UTF-8 bytes, which is
-- Unicode code point order, the order children() promises.

-- One row per namespace: the jid counter and the quota counter, updated by every commit.
CREATE TABLE namespaces (
  ns          TEXT    NOT NULL PRIMARY KEY,
  last_jid    INTEGER NOT NULL,
  used_bytes  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);

-- The append-only journal: one row per committed change.
-- kind: PUT, MKDIR, DELETE, MOVE, COPY; dest only for MOVE and COPY; size, content_hash,
-- blocklist (36 bytes per block, see Blocklist.encode) and mtime only for PUT.
CREATE TABLE journal (
  ns            TEXT    NOT NULL,
  jid           INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  path          TEXT    NOT NULL,
  dest          TEXT,
  size          INTEGER NOT NULL,
  content_hash  TEXT,
  blocklist     BLOB,
  mtime         INTEGER,
  author        TEXT,
  at            INTEGER NOT NULL,
  PRIMARY KEY (ns, jid)
);
CREATE INDEX journal_by_path ON journal (ns, path, jid);
CREATE INDEX journal_by_dest ON journal (ns, dest, jid) WHERE dest IS NOT NULL;

-- The current tree: one row per live path except the root, which is implicit.
-- kind: FILE or DIRECTORY; version: the jid that last wrote the row.
CREATE TABLE entries (
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
  PRIMARY KEY (ns, path)
);
CREATE INDEX entries_by_parent ON entries (ns, parent, name);

-- Dead properties (RFC 4918 §4): pns is the XML namespace URI ('' for none), value the XML text.
-- path '/' holds the root's properties.
CREATE TABLE properties (
  ns     TEXT NOT NULL,
  path   TEXT NOT NULL,
  pns    TEXT NOT NULL,
  pname  TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (ns, path, pns, pname)
);
