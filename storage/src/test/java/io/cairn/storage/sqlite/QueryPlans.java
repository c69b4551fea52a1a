package io.cairn.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * SQLite's own account of how it runs the journal's statements ({@code EXPLAIN QUERY PLAN}), for
 * tests: a statement that scans a whole table or index costs time in proportion to everything
 * stored, and ADR 0017 met one that made each commit in a namespace of a million entries take 0.8 s
 * because the planner, without statistics, picked a scan that looked as good as a search.
 */
public final class QueryPlans {
  /** "SCAN t" or "SCAN t USING [COVERING] INDEX i": a pass over all of a table or index. */
  private static final Pattern SCAN = Pattern.compile("^SCAN (\\w+)");
  /** A statement that reads or writes rows, which SQLite can explain. */
  private static final Pattern QUERY =
      Pattern.compile("\\s*(SELECT|WITH|UPDATE|DELETE|INSERT)\\b", Pattern.CASE_INSENSITIVE);
  /** A search on the namespace alone: a pass over all of one namespace's rows. */
  private static final Pattern NAMESPACE = Pattern.compile("^SEARCH (\\w+) .*\\(ns=\\?\\)$");

  private QueryPlans() {}

  /** The SQL of every statement {@code journal} has run so far (kept prepared). */
  public static Set<String> preparedSql(SqliteJournal journal) {
    return journal.preparedSql();
  }

  /**
   * Each statement in {@code sql} whose plan scans one of {@code tables} (a whole table or index
   * of it, or all of a namespace's rows), with the plan line that does, explained on {@code db}'s
   * schema.
   */
  public static List<String> scans(Path db, Collection<String> sql, Set<String> tables) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    List<String> found = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
        Statement s = c.createStatement()) {
      for (String one : new TreeSet<>(sql)) {
        if (!QUERY.matcher(one).lookingAt()) {
          continue; // BEGIN, COMMIT, SAVEPOINT, PRAGMA: no plan
        }
        try (ResultSet plan = s.executeQuery("EXPLAIN QUERY PLAN " + one)) {
          while (plan.next()) {
            String detail = plan.getString("detail");
            Matcher scan = SCAN.matcher(detail);
            Matcher namespace = NAMESPACE.matcher(detail);
            if ((scan.find() && tables.contains(scan.group(1)))
                || (namespace.find() && tables.contains(namespace.group(1)))) {
              found.add(detail + "  <-  " + one.replaceAll("\\s+", " "));
            }
          }
        }
      }
    }
    return found;
  }
}
