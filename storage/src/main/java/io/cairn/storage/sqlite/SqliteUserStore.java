package io.cairn.storage.sqlite;

import io.cairn.core.CairnException;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.ShareLink;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserNames;
import io.cairn.storage.users.UserStore;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * {@link UserStore} in the journal's SQLite file (tables of migration V2), on one connection of its
 * own. Every call runs on the caller's thread, serialized, and returns a completed future.
 */
public final class SqliteUserStore implements UserStore {
  private static final String USER_COLUMNS =
      "name, password_hash, admin, home, quota_bytes, created_at";
  private static final String TOKEN_COLUMNS =
      "id, user_name, name, token_hash, created_at, expires_at";
  private static final String LINK_COLUMNS =
      "id, user_name, ns, path, mode, link_hash, password_hash, created_at, expires_at, downloads";

  private final SqliteConnection db;
  private final Clock clock;

  private SqliteUserStore(SqliteConnection db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Opens the store in the journal database a {@code sqlite:} URI names; see {@link SqliteJournal#pathOf}. */
  public static SqliteUserStore open(String uri, Clock clock) {
    return open(SqliteJournal.pathOf(uri), clock);
  }

  /** Opens the store in {@code file}, creating it and bringing its schema up to date. */
  public static SqliteUserStore open(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath();
    SqliteConnection db = null;
    try {
      Files.createDirectories(absolute.getParent());
      db = SqliteConnection.open(absolute, false);
      SqliteMigrations.apply(db, clock);
      return new SqliteUserStore(db, clock);
    } catch (IOException e) {
      throw new CairnException(CairnException.Kind.INTERNAL, "cannot create the directory of " + absolute, e);
    } catch (SQLException e) {
      if (db != null) {
        db.close();
      }
      throw SqliteConnection.internal("cannot open the user store " + absolute, e);
    }
  }

  /** One unit of work in a transaction. */
  private interface Work<T> {
    T run() throws SQLException;
  }

  /** A unit of work that only reads. */
  private <T> Future<T> read(String what, Work<T> work) {
    return tx(what, false, work);
  }

  /** A unit of work that writes: it takes the write lock first (see SqliteConnection#begin). */
  private <T> Future<T> tx(String what, Work<T> work) {
    return tx(what, true, work);
  }

  private synchronized <T> Future<T> tx(String what, boolean write, Work<T> work) {
    try {
      db.begin(write);
      T result = work.run();
      db.commit();
      return Future.succeededFuture(result);
    } catch (SQLException e) {
      db.rollbackQuietly();
      return Future.failedFuture(SqliteConnection.internal(what, e));
    } catch (RuntimeException e) {
      db.rollbackQuietly();
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<User> createUser(String name, String passwordHash, boolean admin) {
    if (!UserNames.isValid(name)) {
      return Future.failedFuture(CairnException.invalid(UserNames.rule()));
    }
    return tx(
        "creating user " + name,
        () -> {
          if (db.one("SELECT 1 FROM users WHERE name = ?", rs -> 1, name) != null) {
            throw CairnException.alreadyExists("user " + name + " exists");
          }
          User u = new User(name, passwordHash, admin, UserNames.home(name), -1, clock.millis());
          db.update(
              "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
              u.name(), u.passwordHash(), admin ? 1 : 0, u.home(), u.quotaBytes(), u.createdAtMillis());
          return u;
        });
  }

  @Override
  public Future<User> user(String name) {
    return read("reading user", () -> db.one("SELECT " + USER_COLUMNS + " FROM users WHERE name = ?", SqliteUserStore::user, name));
  }

  @Override
  public Future<List<User>> users() {
    return read("listing users", () -> db.list("SELECT " + USER_COLUMNS + " FROM users ORDER BY name", SqliteUserStore::user));
  }

  @Override
  public Future<Void> setPasswordHash(String name, String passwordHash) {
    return tx("changing a password", () -> changed(db.update("UPDATE users SET password_hash = ? WHERE name = ?", passwordHash, name), "user " + name));
  }

  @Override
  public Future<Void> setAdmin(String name, boolean admin) {
    return tx("changing an admin flag", () -> changed(db.update("UPDATE users SET admin = ? WHERE name = ?", admin ? 1 : 0, name), "user " + name));
  }

  @Override
  public Future<Void> setQuota(String name, long quotaBytes) {
    if (quotaBytes < -1) {
      return Future.failedFuture(CairnException.invalid("a quota is -1 (none) or a number of bytes"));
    }
    return tx("setting a quota", () -> changed(db.update("UPDATE users SET quota_bytes = ? WHERE name = ?", quotaBytes, name), "user " + name));
  }

  @Override
  public Future<Void> removeUser(String name) {
    return tx(
        "removing user " + name,
        () -> {
          changed(db.update("DELETE FROM users WHERE name = ?", name), "user " + name);
          db.update("DELETE FROM app_tokens WHERE user_name = ?", name);
          db.update("DELETE FROM grants WHERE user_name = ?", name);
          db.update("DELETE FROM share_links WHERE user_name = ?", name);
          return null;
        });
  }

  @Override
  public Future<Void> createToken(AppToken t) {
    return tx(
        "creating a token",
        () -> {
          requireUser(t.user());
          db.update(
              "INSERT INTO app_tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
              t.id(), t.user(), t.name(), t.tokenHash(), t.createdAtMillis(), t.expiresAtMillis());
          return null;
        });
  }

  @Override
  public Future<AppToken> tokenByHash(String tokenHash) {
    return read("reading a token", () -> db.one("SELECT " + TOKEN_COLUMNS + " FROM app_tokens WHERE token_hash = ?", SqliteUserStore::token, tokenHash));
  }

  @Override
  public Future<List<AppToken>> tokens(String user) {
    return read("listing tokens", () -> db.list("SELECT " + TOKEN_COLUMNS + " FROM app_tokens WHERE user_name = ? ORDER BY created_at, id", SqliteUserStore::token, user));
  }

  @Override
  public Future<Void> revokeToken(String user, String id) {
    return tx("revoking a token", () -> changed(db.update("DELETE FROM app_tokens WHERE user_name = ? AND id = ?", user, id), "token " + id + " of " + user));
  }

  @Override
  public Future<Void> createShareLink(ShareLink l) {
    return tx(
        "creating a share link",
        () -> {
          requireUser(l.user());
          db.update(
              "INSERT INTO share_links (" + LINK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              l.id(), l.user(), l.ns(), l.path(), l.mode().name(), l.linkHash(), l.passwordHash(),
              l.createdAtMillis(), l.expiresAtMillis(), l.downloads());
          return null;
        });
  }

  @Override
  public Future<ShareLink> shareLinkByHash(String linkHash) {
    return read("reading a share link", () -> db.one("SELECT " + LINK_COLUMNS + " FROM share_links WHERE link_hash = ?", SqliteUserStore::link, linkHash));
  }

  @Override
  public Future<List<ShareLink>> shareLinks(String user) {
    return read("listing share links", () -> db.list("SELECT " + LINK_COLUMNS + " FROM share_links WHERE user_name = ? ORDER BY created_at, id", SqliteUserStore::link, user));
  }

  @Override
  public Future<Void> revokeShareLink(String user, String id) {
    return tx("revoking a share link", () -> changed(db.update("DELETE FROM share_links WHERE user_name = ? AND id = ?", user, id), "share link " + id + " of " + user));
  }

  @Override
  public Future<Void> countShareDownload(String id) {
    return tx("counting a download", () -> changed(db.update("UPDATE share_links SET downloads = downloads + 1 WHERE id = ?", id), "share link " + id));
  }

  @Override
  public Future<Void> grant(String ns, String user, Grant.Access access) {
    return tx(
        "granting " + ns,
        () -> {
          requireUser(user);
          db.update(
              "INSERT INTO grants (ns, user_name, access) VALUES (?, ?, ?)"
                  + " ON CONFLICT (ns, user_name) DO UPDATE SET access = excluded.access",
              ns, user, access.name());
          return null;
        });
  }

  @Override
  public Future<Void> revokeGrant(String ns, String user) {
    return tx("revoking a grant", () -> changed(db.update("DELETE FROM grants WHERE ns = ? AND user_name = ?", ns, user), "grant of " + ns + " to " + user));
  }

  @Override
  public Future<List<Grant>> grants(String user) {
    return read(
        "listing grants",
        () -> db.list("SELECT ns, user_name, access FROM grants WHERE user_name = ? ORDER BY ns",
            rs -> new Grant(rs.getString(1), rs.getString(2), Grant.Access.valueOf(rs.getString(3))), user));
  }

  @Override
  public synchronized void close() {
    db.close();
  }

  private void requireUser(String name) throws SQLException {
    if (db.one("SELECT 1 FROM users WHERE name = ?", rs -> 1, name) == null) {
      throw CairnException.notFound("no user " + name);
    }
  }

  private static Void changed(int rows, String what) {
    if (rows == 0) {
      throw CairnException.notFound("no " + what);
    }
    return null;
  }

  private static User user(SqliteConnection.Row rs) throws SQLException {
    return new User(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4), rs.getLong(5), rs.getLong(6));
  }

  private static AppToken token(SqliteConnection.Row rs) throws SQLException {
    return new AppToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
  }

  private static ShareLink link(SqliteConnection.Row rs) throws SQLException {
    return new ShareLink(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        ShareLink.Mode.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
  }
}
