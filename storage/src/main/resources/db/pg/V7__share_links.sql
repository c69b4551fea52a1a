-- Schema version 7, PostgreSQL: share links (docs/adr/0013-web-interface.md). Kept parallel to
-- db/sqlite/V7__share_links.sql, which says what the columns hold.
CREATE TABLE share_links (
  id             TEXT COLLATE "C" PRIMARY KEY,
  user_name      TEXT COLLATE "C" NOT NULL,
  ns             TEXT COLLATE "C" NOT NULL,
  path           TEXT COLLATE "C" NOT NULL,
  mode           TEXT NOT NULL,
  link_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash  TEXT,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  downloads      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX share_links_by_user ON share_links (user_name);
