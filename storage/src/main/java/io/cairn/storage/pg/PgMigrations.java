package io.cairn.storage.pg;

import io.cairn.core.CairnException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to date at start: applies the scripts under {@code db/pg/} whose
 * version is above the one recorded in {@code schema_version}, in order, in one transaction.
 * Several nodes starting at once serialize on a transaction-scoped advisory lock, so each script
 * runs once.
 */
final class PgMigrations {
  /** Every migration, oldest first; the number after V is the version it brings the schema to. */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__users.sql",
      "V3__maintenance.sql", "V4__trash_and_chunk_refs.sql", "V5__file_ids_and_trees.sql",
      "V6__file_id_index.sql", "V7__share_links.sql",
      "V8__expired_versions.sql", "V9__chunk_deletions.sql", "V10__damaged_chunks.sql",
      "V12__listing_index.sql");

  static final String RESOURCE_DIR = "db/pg/";

  /** Any constant works as long as nothing else in the database takes the same advisory lock. */
  private static final long LOCK_KEY = 0x636169726e4a4cL; // "cairnJL"

  private static final Logger LOG = LoggerFactory.getLogger(PgMigrations.class);

  private PgMigrations() {}

  /** The schema version the scripts in this build lead to. */
  static int latestVersion() {
    return versionOf(SCRIPTS.getLast());
  }

  static int versionOf(String script) {
    int end = script.indexOf("__");
    if (!script.startsWith("V") || end < 2) {
      throw new IllegalArgumentException("a migration is named V<n>__<what>.sql: " + script);
    }
    return Integer.parseInt(script.substring(1, end));
  }

  /** The schema version, read only; fails with INTERNAL unless it is exactly this build's. */
  static Future<Integer> requireCurrent(Pool pool) {
    return pool.query("SELECT coalesce(max(version), 0) FROM schema_version").execute()
        .compose(rows -> {
          int current = rows.iterator().next().getInteger(0);
          int latest = latestVersion();
          return current == latest
              ? Future.succeededFuture(current)
              : Future.failedFuture(new CairnException(CairnException.Kind.INTERNAL,
                  "the journal database has schema version " + current + ", this build's is " + latest
                      + (current < latest ? " (start the server once to bring it up to date)" : "")));
        });
  }

  /** Applies what is missing; fails with INTERNAL when the database is newer than this build. */
  static Future<Integer> migrate(Pool pool) {
    return pool.withTransaction(PgMigrations::migrate);
  }

  private static Future<Integer> migrate(SqlConnection conn) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(r -> conn.query("SELECT to_regclass('schema_version') IS NOT NULL").execute())
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? Future.succeededFuture()
                    : conn.query(
                            "CREATE TABLE schema_version ("
                                + " version INTEGER PRIMARY KEY,"
                                + " script TEXT NOT NULL,"
                                + " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                        .execute())
        .compose(r -> conn.query("SELECT coalesce(max(version), 0) FROM schema_version").execute())
        .compose(rows -> applyFrom(conn, rows.iterator().next().getInteger(0)));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, int current) {
    int latest = latestVersion();
    if (current > latest) {
      return Future.failedFuture(
          new CairnException(
              CairnException.Kind.INTERNAL,
              "the database's journal schema is version "
                  + current
                  + ", newer than this build knows ("
                  + latest
                  + "): upgrade this node"));
    }
    Future<Void> chain = Future.succeededFuture();
    for (String script : SCRIPTS) {
      int version = versionOf(script);
      if (version > current) {
        chain = chain.compose(v -> apply(conn, script, version));
      }
    }
    return chain.map(latest);
  }

  private static Future<Void> apply(SqlConnection conn, String script, int version) {
    String sql;
    try {
      sql = read(script);
    } catch (UncheckedIOException e) {
      return Future.failedFuture(e);
    }
    LOG.info("Applying journal schema migration {}", script);
    // A simple (not prepared) query: the script holds several statements.
    return conn.query(sql)
        .execute()
        .compose(
            r ->
                conn.preparedQuery("INSERT INTO schema_version (version, script) VALUES ($1, $2)")
                    .execute(Tuple.of(version, script)))
        .mapEmpty();
  }

  static String read(String script) {
    String resource = RESOURCE_DIR + script;
    try (InputStream in = PgMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + resource));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
