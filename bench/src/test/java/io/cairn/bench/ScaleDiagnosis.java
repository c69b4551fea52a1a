package io.cairn.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.sqlite.SQLiteConfig;

/**
 * What {@link JournalScaleStudy} prints beside its figures for SQLite, to tell a bad plan from a
 * cache too small: the query plans of the reads measured (the same SQL as SqliteQueries), and the
 * entry lookup's SQL timed on a raw read-only connection with SQLite's default page cache (what
 * the product's connections use) and with 64 MiB of it. Diagnosis only: the figures of the study
 * are measured through the Journal API.
 */
final class ScaleDiagnosis {
  private static final String ENTRY = "SELECT path, kind, size, mtime, content_hash, blocklist, "
      + "version, created, file_id, tree_version, tree_size FROM entries WHERE ns = ? AND path = ?";
  private static final String CHILDREN = "SELECT path, kind, size, mtime, content_hash, blocklist, "
      + "version, created, file_id, tree_version, tree_size FROM entries "
      + "WHERE ns = ? AND parent = ? AND name > ? ORDER BY name LIMIT ?";

  private ScaleDiagnosis() {}

  static void sqlite(Path file, String ns, IntFunction<String> randomPath) throws Exception {
    for (String cache : List.of("default", "-65536")) {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
        if (!cache.equals("default")) {
          try (Statement s = c.createStatement()) {
            s.execute("PRAGMA cache_size = " + cache);
          }
        }
        if (cache.equals("default")) {
          plan(c, ENTRY, ns, "/d0000/s0/f00000");
          plan(c, CHILDREN, ns, "/d0000/s0", "", 500);
        }
        try (PreparedStatement p = c.prepareStatement(ENTRY)) {
          long[] t = new long[4000];
          long deadline = System.nanoTime() + 60_000_000_000L;
          int n = 0;
          for (int i = 0; i < t.length && System.nanoTime() < deadline; i++) {
            p.setString(1, ns);
            p.setString(2, randomPath.apply(i));
            long s = System.nanoTime();
            try (ResultSet r = p.executeQuery()) {
              r.next();
            }
            t[i] = System.nanoTime() - s;
            n = i + 1;
          }
          // the first half warms the cache up
          long[] timed = Arrays.copyOfRange(t, n / 2, n);
          Arrays.sort(timed);
          System.out.printf("diagnosis: raw entry lookup SQL, cache_size %s: p50 %.0f µs, p99 %.0f µs (%d runs)%n",
              cache, timed[timed.length / 2] / 1e3, timed[timed.length * 99 / 100] / 1e3, timed.length);
        }
      }
    }
  }

  /**
   * PostgreSQL: shared_buffers against the sizes of the tables and indexes a commit writes, and
   * the plans (EXPLAIN ANALYZE, BUFFERS) of a listing's first page without blocklists and with
   * them, custom and generic (the product caches its prepared statements, so after five runs the
   * server may keep a generic plan), and the listing's again after a VACUUM.
   */
  static void postgres(String uri, String ns, String folder) throws Exception {
    try (Connection c = ScaleLoaders.pgConnection(uri); Statement s = c.createStatement()) {
      StringBuilder sizes = new StringBuilder();
      try (ResultSet r = s.executeQuery("SELECT current_setting('shared_buffers'), "
          + "pg_size_pretty(pg_total_relation_size('journal')), "
          + "pg_size_pretty(pg_total_relation_size('entries')), "
          + "pg_size_pretty(pg_total_relation_size('chunk_refs'))")) {
        r.next();
        sizes.append("shared_buffers ").append(r.getString(1)).append("; journal with indexes ")
            .append(r.getString(2)).append(", entries ").append(r.getString(3))
            .append(", chunk_refs ").append(r.getString(4));
      }
      System.out.println("diagnosis: " + sizes);
      // A PUT updates its file's row and its folders': an update that changes no indexed column
      // can be HOT (no new index entries); one that changes an included column cannot.
      try (ResultSet r = s.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
          + " WHERE relname = 'entries'")) {
        r.next();
        System.out.println("diagnosis: entries updates " + r.getLong(1) + ", of them HOT " + r.getLong(2));
      }
      try (ResultSet r = s.executeQuery("SELECT pg_size_pretty(pg_relation_size('entries_by_parent')),"
          + " pg_size_pretty(pg_relation_size('entries'))")) {
        r.next();
        System.out.println("diagnosis: entries_by_parent " + r.getString(1) + ", entries' heap " + r.getString(2));
      }
      // The statements of PgJournal.listing and PgJournal.children (PgRows' column lists).
      String listed = "name, kind, size, mtime, content_hash, version, created, file_id, tree_version, tree_size";
      String whole = "path, kind, size, mtime, content_hash, blocklist, version, created, file_id, tree_version, tree_size";
      for (String[] query : List.of(new String[] {"listing", listed}, new String[] {"children", whole})) {
        s.execute("PREPARE " + query[0] + "(text, text, int) AS SELECT " + query[1]
            + " FROM entries WHERE ns = $1 AND parent = $2 ORDER BY name LIMIT $3");
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
          explain(s, query[0], mode, ns, folder, "");
        }
      }
      // The measured commits left pages not all-visible: an index-only scan fetches their rows
      // from the heap until (auto)vacuum has passed.
      s.execute("VACUUM entries");
      explain(s, "listing", "force_generic_plan", ns, folder, " after VACUUM entries");
      // What migration V12 costs at the first start: the covering index built over these entries.
      long start = System.nanoTime();
      s.execute("CREATE INDEX entries_by_parent_timed ON entries (ns, parent, name) INCLUDE (kind, size,"
          + " mtime, content_hash, version, created, file_id, tree_version, tree_size)");
      System.out.printf("diagnosis: migration V12's index built in %.1f s%n", (System.nanoTime() - start) / 1e9);
      s.execute("DROP INDEX entries_by_parent_timed");
    }
  }

  private static void explain(Statement s, String statement, String mode, String ns, String folder,
      String when) throws Exception {
    s.execute("SET plan_cache_mode = " + mode);
    StringBuilder b = new StringBuilder();
    try (ResultSet r = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE " + statement
        + "('" + ns + "', '" + folder + "', 500)")) {
      while (r.next()) {
        b.append(b.isEmpty() ? "" : " | ").append(r.getString(1).trim());
      }
    }
    System.out.println("diagnosis: " + statement + " plan (" + mode + ")" + when + ": " + b);
  }

  private static void plan(Connection c, String sql, Object... args) throws Exception {
    try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      StringBuilder b = new StringBuilder();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          b.append(b.isEmpty() ? "" : "; ").append(r.getString("detail"));
        }
      }
      System.out.println("diagnosis: plan of " + sql.substring(sql.indexOf("WHERE")) + ": " + b);
    }
  }
}
