-- Schema version 7, SQLite: share links (docs/adr/0013-web-interface.md). Kept parallel to
-- db/pg/V7__share_links.sql. A link names one file or folder (ns, path) of its owner's view; only
-- the SHA-256 of its token is kept (tokens carry 256 random bits), password_hash is an Argon2id
-- PHC string or NULL, expires_at is epoch milliseconds or -1 for never, mode is READ or DROP.
CREATE TABLE share_links (
  id             TEXT    NOT NULL PRIMARY KEY,
  user_name      TEXT    NOT NULL,
  ns             TEXT    NOT NULL,
  path           TEXT    NOT NULL,
  mode           TEXT    NOT NULL,
  link_hash      TEXT    NOT NULL UNIQUE,
  password_hash  TEXT,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  downloads      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_links_by_user ON share_links (user_name);
