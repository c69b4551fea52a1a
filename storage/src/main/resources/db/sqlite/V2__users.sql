-- Cairn users, app tokens and namespace grants, SQLite, schema version 2 (docs/adr/0003-users-and-namespaces.md).
-- Kept parallel to db/pg/V2__users.sql. Times are epoch milliseconds.

-- name: [a-z0-9][a-z0-9._-]* (UserNames); password_hash: an Argon2id PHC string, never the
-- password; home: the user's home namespace; quota_bytes: -1 for none.
CREATE TABLE users (
  name           TEXT    NOT NULL PRIMARY KEY,
  password_hash  TEXT    NOT NULL,
  admin          INTEGER NOT NULL,
  home           TEXT    NOT NULL UNIQUE,
  quota_bytes    INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);

-- App tokens: only the SHA-256 of the token is kept (tokens carry 256 random bits, so a fast
-- hash is enough); expires_at is epoch milliseconds.
CREATE TABLE app_tokens (
  id          TEXT    NOT NULL PRIMARY KEY,
  user_name   TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  token_hash  TEXT    NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX app_tokens_by_user ON app_tokens (user_name);

-- Which users may use which shared namespace: access is READ or WRITE.
CREATE TABLE grants (
  ns         TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  access     TEXT NOT NULL,
  PRIMARY KEY (ns, user_name)
);
CREATE INDEX grants_by_user ON grants (user_name);
