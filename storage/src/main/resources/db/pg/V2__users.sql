-- Cairn users, app tokens and namespace grants, PostgreSQL, schema version 2
-- (docs/adr/0003-users-and-namespaces.md). Kept parallel to db/sqlite/V2__users.sql.
-- Times are epoch milliseconds, as in the SQLite backend.

CREATE TABLE users (
  name           TEXT COLLATE "C" PRIMARY KEY,
  password_hash  TEXT NOT NULL,
  admin          BOOLEAN NOT NULL,
  home           TEXT COLLATE "C" NOT NULL UNIQUE,
  quota_bytes    BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);

CREATE TABLE app_tokens (
  id          TEXT COLLATE "C" PRIMARY KEY,
  user_name   TEXT COLLATE "C" NOT NULL,
  name        TEXT NOT NULL,
  token_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX app_tokens_by_user ON app_tokens (user_name);

CREATE TABLE grants (
  ns         TEXT COLLATE "C" NOT NULL,
  user_name  TEXT COLLATE "C" NOT NULL,
  access     TEXT NOT NULL,
  PRIMARY KEY (ns, user_name)
);
CREATE INDEX grants_by_user ON grants (user_name);
