package io.cairn.storage.pg;

import io.cairn.core.CairnException;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.ShareLink;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserNames;
import io.cairn.storage.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link UserStore} in the journal's PostgreSQL database (tables of migration V2), on a small pool
 * of its own. Futures complete on the pool's event loops.
 */
public final class PgUserStore implements UserStore {
  private static final String USER_COLUMNS =
      "name, password_hash, admin, home, quota_bytes, created_at";
  private static final String TOKEN_COLUMNS =
      "id, user_name, name, token_hash, created_at, expires_at";
  private static final String LINK_COLUMNS =
      "id, user_name, ns, path, mode, link_hash, password_hash, created_at, expires_at, downloads";

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Pool pool;
  private final Clock clock;

  private PgUserStore(Vertx vertx, boolean ownsVertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Connects to the database at {@code uri} (as {@link PgJournal#open}) and brings its schema up
   * to date.
   *
   * @param vertx the Vert.x to run on; null to create one that {@link #close()} closes
   */
  public static Future<PgUserStore> open(Vertx vertx, String uri, Clock clock) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      return Future.failedFuture(new CairnException(CairnException.Kind.INTERNAL, "not a PostgreSQL URI: " + uri, e));
    }
    if (options.getPassword() == null) {
      options.setPassword("");
    }
    boolean owned = vertx == null;
    Vertx v = owned ? Vertx.vertx() : vertx;
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(options).using(v).build();
    PgUserStore store = new PgUserStore(v, owned, pool, clock == null ? Clock.systemUTC() : clock);
    return PgMigrations.migrate(pool)
        .map(version -> store)
        .recover(
            err -> {
              store.close();
              return Future.failedFuture(PgErrors.map(err));
            });
  }

  @Override
  public Future<User> createUser(String name, String passwordHash, boolean admin) {
    if (!UserNames.isValid(name)) {
      return Future.failedFuture(CairnException.invalid(UserNames.rule()));
    }
    User u = new User(name, passwordHash, admin, UserNames.home(name), -1, clock.millis());
    return query(
            "INSERT INTO users (" + USER_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            Tuple.of(u.name(), u.passwordHash(), admin, u.home(), u.quotaBytes(), u.createdAtMillis()))
        .compose(
            rows ->
                rows.rowCount() == 0
                    ? Future.failedFuture(CairnException.alreadyExists("user " + name + " exists"))
                    : Future.succeededFuture(u));
  }

  @Override
  public Future<User> user(String name) {
    return query("SELECT " + USER_COLUMNS + " FROM users WHERE name = $1", Tuple.of(name))
        .map(rows -> first(rows, PgUserStore::user));
  }

  @Override
  public Future<List<User>> users() {
    return query("SELECT " + USER_COLUMNS + " FROM users ORDER BY name", Tuple.tuple())
        .map(rows -> all(rows, PgUserStore::user));
  }

  @Override
  public Future<Void> setPasswordHash(String name, String passwordHash) {
    return changed(query("UPDATE users SET password_hash = $1 WHERE name = $2", Tuple.of(passwordHash, name)), "user " + name);
  }

  @Override
  public Future<Void> setAdmin(String name, boolean admin) {
    return changed(query("UPDATE users SET admin = $1 WHERE name = $2", Tuple.of(admin, name)), "user " + name);
  }

  @Override
  public Future<Void> setQuota(String name, long quotaBytes) {
    if (quotaBytes < -1) {
      return Future.failedFuture(CairnException.invalid("a quota is -1 (none) or a number of bytes"));
    }
    return changed(query("UPDATE users SET quota_bytes = $1 WHERE name = $2", Tuple.of(quotaBytes, name)), "user " + name);
  }

  @Override
  public Future<Void> removeUser(String name) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery("DELETE FROM users WHERE name = $1").execute(Tuple.of(name))
                    .compose(
                        rows ->
                            rows.rowCount() == 0
                                ? Future.failedFuture(CairnException.notFound("no user " + name))
                                : conn.preparedQuery("DELETE FROM app_tokens WHERE user_name = $1").execute(Tuple.of(name)))
                    .compose(r -> conn.preparedQuery("DELETE FROM grants WHERE user_name = $1").execute(Tuple.of(name)))
                    .compose(r -> conn.preparedQuery("DELETE FROM share_links WHERE user_name = $1").execute(Tuple.of(name))))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(PgErrors.map(err)));
  }

  @Override
  public Future<Void> createToken(AppToken t) {
    return changed(
        query(
            "INSERT INTO app_tokens (" + TOKEN_COLUMNS + ") SELECT $1, $2, $3, $4, $5, $6"
                + " WHERE EXISTS (SELECT 1 FROM users WHERE name = $2)",
            Tuple.of(t.id(), t.user(), t.name(), t.tokenHash(), t.createdAtMillis(), t.expiresAtMillis())),
        "user " + t.user());
  }

  @Override
  public Future<AppToken> tokenByHash(String tokenHash) {
    return query("SELECT " + TOKEN_COLUMNS + " FROM app_tokens WHERE token_hash = $1", Tuple.of(tokenHash))
        .map(rows -> first(rows, PgUserStore::token));
  }

  @Override
  public Future<List<AppToken>> tokens(String user) {
    return query("SELECT " + TOKEN_COLUMNS + " FROM app_tokens WHERE user_name = $1 ORDER BY created_at, id", Tuple.of(user))
        .map(rows -> all(rows, PgUserStore::token));
  }

  @Override
  public Future<Void> revokeToken(String user, String id) {
    return changed(query("DELETE FROM app_tokens WHERE user_name = $1 AND id = $2", Tuple.of(user, id)), "token " + id + " of " + user);
  }

  @Override
  public Future<Void> createShareLink(ShareLink l) {
    return changed(
        query(
            "INSERT INTO share_links (" + LINK_COLUMNS + ") SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10"
                + " WHERE EXISTS (SELECT 1 FROM users WHERE name = $2)",
            Tuple.from(new Object[] {l.id(), l.user(), l.ns(), l.path(), l.mode().name(), l.linkHash(), l.passwordHash(),
                l.createdAtMillis(), l.expiresAtMillis(), l.downloads()})),
        "user " + l.user());
  }

  @Override
  public Future<ShareLink> shareLinkByHash(String linkHash) {
    return query("SELECT " + LINK_COLUMNS + " FROM share_links WHERE link_hash = $1", Tuple.of(linkHash))
        .map(rows -> first(rows, PgUserStore::link));
  }

  @Override
  public Future<List<ShareLink>> shareLinks(String user) {
    return query("SELECT " + LINK_COLUMNS + " FROM share_links WHERE user_name = $1 ORDER BY created_at, id", Tuple.of(user))
        .map(rows -> all(rows, PgUserStore::link));
  }

  @Override
  public Future<Void> revokeShareLink(String user, String id) {
    return changed(query("DELETE FROM share_links WHERE user_name = $1 AND id = $2", Tuple.of(user, id)), "share link " + id + " of " + user);
  }

  @Override
  public Future<Void> countShareDownload(String id) {
    return changed(query("UPDATE share_links SET downloads = downloads + 1 WHERE id = $1", Tuple.of(id)), "share link " + id);
  }

  @Override
  public Future<Void> grant(String ns, String user, Grant.Access access) {
    return changed(
        query(
            "INSERT INTO grants (ns, user_name, access) SELECT $1, $2, $3"
                + " WHERE EXISTS (SELECT 1 FROM users WHERE name = $2)"
                + " ON CONFLICT (ns, user_name) DO UPDATE SET access = excluded.access",
            Tuple.of(ns, user, access.name())),
        "user " + user);
  }

  @Override
  public Future<Void> revokeGrant(String ns, String user) {
    return changed(query("DELETE FROM grants WHERE ns = $1 AND user_name = $2", Tuple.of(ns, user)), "grant of " + ns + " to " + user);
  }

  @Override
  public Future<List<Grant>> grants(String user) {
    return query("SELECT ns, user_name, access FROM grants WHERE user_name = $1 ORDER BY ns", Tuple.of(user))
        .map(rows -> all(rows, r -> new Grant(r.getString(0), r.getString(1), Grant.Access.valueOf(r.getString(2)))));
  }

  @Override
  public void close() {
    pool.close();
    if (ownsVertx) {
      vertx.close();
    }
  }

  private Future<RowSet<Row>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).recover(err -> Future.failedFuture(PgErrors.map(err)));
  }

  private static Future<Void> changed(Future<RowSet<Row>> update, String what) {
    return update.compose(
        rows -> rows.rowCount() == 0 ? Future.failedFuture(CairnException.notFound("no " + what)) : Future.succeededFuture());
  }

  private static <T> T first(RowSet<Row> rows, Function<Row, T> map) {
    var it = rows.iterator();
    return it.hasNext() ? map.apply(it.next()) : null;
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
    List<T> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(map.apply(r));
    }
    return out;
  }

  private static User user(Row r) {
    return new User(r.getString(0), r.getString(1), r.getBoolean(2), r.getString(3), r.getLong(4), r.getLong(5));
  }

  private static AppToken token(Row r) {
    return new AppToken(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5));
  }

  private static ShareLink link(Row r) {
    return new ShareLink(r.getString(0), r.getString(1), r.getString(2), r.getString(3), ShareLink.Mode.valueOf(r.getString(4)),
        r.getString(5), r.getString(6), r.getLong(7), r.getLong(8), r.getLong(9));
  }
}
