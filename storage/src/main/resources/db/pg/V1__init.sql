-- Cairn journal on PostgreSQL, schema version 1.
-- Kept parallel to db/sqlite (same tables and columns) so the two backends stay comparable.
-- Paths and names use COLLATE "C": byte order of UTF-8 is Unicode code point order, which is the
-- order children are listed in, and what the subtree range (p || '/', p || '0') relies on.
-- Instants are stored with millisecond precision, like the SQLite backend.

CREATE TABLE namespaces (
  ns          TEXT COLLATE "C" PRIMARY KEY,
  -- jid of the newest commit; commits take this row's lock to allocate the next one
  last_jid    BIGINT NOT NULL DEFAULT 0,
  -- sum of the sizes of all live files
  used_bytes  BIGINT NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ NOT NULL
);

-- The append-only journal: one row per commit, jid gap-free per namespace.
CREATE TABLE journal (
  ns            TEXT COLLATE "C" NOT NULL,
  jid           BIGINT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('PUT', 'MKDIR', 'DELETE', 'MOVE', 'COPY')),
  path          TEXT COLLATE "C" NOT NULL,
  dest          TEXT COLLATE "C",
  size          BIGINT NOT NULL DEFAULT 0,
  content_hash  TEXT,
  blocklist     BYTEA,
  mtime         TIMESTAMPTZ,
  author        TEXT,
  at            TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ns, jid)
);
CREATE INDEX journal_by_path ON journal (ns, path, jid);
CREATE INDEX journal_by_dest ON journal (ns, dest, jid) WHERE dest IS NOT NULL;

-- The current tree: one row per live path except the root, which every namespace has implicitly.
CREATE TABLE entries (
  ns            TEXT COLLATE "C" NOT NULL,
  path          TEXT COLLATE "C" NOT NULL,
  parent        TEXT COLLATE "C" NOT NULL,
  name          TEXT COLLATE "C" NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('FILE', 'DIRECTORY')),
  size          BIGINT NOT NULL DEFAULT 0,
  mtime         TIMESTAMPTZ NOT NULL,
  content_hash  TEXT,
  blocklist     BYTEA,
  version       BIGINT NOT NULL,
  created       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ns, path)
);
CREATE INDEX entries_by_parent ON entries (ns, parent, name);

-- Dead properties (RFC 4918 §4): pns is the XML namespace URI ('' for none), value the XML text
-- verbatim; the root's are kept under '/'.
CREATE TABLE properties (
  ns          TEXT COLLATE "C" NOT NULL,
  path        TEXT COLLATE "C" NOT NULL,
  pns         TEXT NOT NULL,
  pname       TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (ns, path, pns, pname)
);
