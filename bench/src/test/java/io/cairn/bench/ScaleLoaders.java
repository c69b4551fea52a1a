package io.cairn.bench;

import io.cairn.bench.ScaleNamespace.Table;
import io.cairn.bench.ScaleNamespace.Totals;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.sqlite.SQLiteConfig;

/**
 * Bulk loaders of a {@link ScaleNamespace} into a journal database already created and migrated by
 * the product's own journal (which also created the namespace's row). They write the tables
 * directly, then set the namespace's counters and the file id counter as commits would have.
 */
final class ScaleLoaders {
  private static final Set<String> TIMES = Set.of("mtime", "at", "created");

  private ScaleLoaders() {}

  /**
   * SQLite: one connection, batched prepared INSERTs in transactions of about a million rows, in
   * WAL mode as the product opens it but without fsync for the load only.
   */
  static Totals loadSqlite(Path file, ScaleNamespace gen) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
    config.setCacheSize(-262_144); // 256 MiB, for the load only
    config.setGetGeneratedKeys(false);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
      c.setAutoCommit(false);
      Map<Table, PreparedStatement> inserts = new EnumMap<>(Table.class);
      for (Table t : Table.values()) {
        String marks = "?,".repeat(t.columns.split(",").length);
        inserts.put(t, c.prepareStatement("INSERT INTO " + t.name + " (" + t.columns + ") VALUES ("
            + marks.substring(0, marks.length() - 1) + ")"));
      }
      long[] pending = {0};
      Totals totals = gen.generate((t, values) -> {
        PreparedStatement p = inserts.get(t);
        for (int i = 0; i < values.length; i++) {
          p.setObject(i + 1, values[i]);
        }
        p.addBatch();
        if (++pending[0] % 10_000 == 0) {
          for (PreparedStatement q : inserts.values()) {
            q.executeBatch();
          }
          if (pending[0] % 1_000_000 == 0) {
            c.commit();
          }
        }
      }, firstFileId(c, "SELECT last_id FROM file_id_counter"));
      for (PreparedStatement q : inserts.values()) {
        q.executeBatch();
        q.close();
      }
      try (PreparedStatement ns = c.prepareStatement(
              "UPDATE namespaces SET last_jid = ?, used_bytes = ? WHERE ns = ?");
          PreparedStatement ids = c.prepareStatement("UPDATE file_id_counter SET last_id = ?")) {
        ns.setLong(1, totals.rows());
        ns.setLong(2, totals.usedBytes());
        ns.setString(3, gen.ns);
        ns.executeUpdate();
        ids.setLong(1, totals.lastFileId());
        ids.executeUpdate();
      }
      c.commit();
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return totals;
    }
  }

  /**
   * PostgreSQL: one COPY per table and batch of about 200,000 rows of that table, over the JDBC
   * driver (the product's client has no COPY), then VACUUM ANALYZE, as autovacuum would soon do.
   */
  static Totals loadPostgres(String uri, ScaleNamespace gen) throws Exception {
    try (Connection c = pgConnection(uri)) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      Map<Table, StringBuilder> buffers = new EnumMap<>(Table.class);
      Map<Table, Integer> counts = new EnumMap<>(Table.class);
      for (Table t : Table.values()) {
        buffers.put(t, new StringBuilder());
        counts.put(t, 0);
      }
      String[][] columns = new String[Table.values().length][];
      for (Table t : Table.values()) {
        columns[t.ordinal()] = t.columns.split(", ");
      }
      Totals totals = gen.generate((t, values) -> {
        StringBuilder b = buffers.get(t);
        String[] names = columns[t.ordinal()];
        for (int i = 0; i < values.length; i++) {
          if (i > 0) {
            b.append('\t');
          }
          b.append(copyText(names[i], values[i]));
        }
        b.append('\n');
        if (counts.merge(t, 1, Integer::sum) >= 200_000) {
          flush(copy, t, b);
          counts.put(t, 0);
        }
      }, firstFileId(c, "SELECT last_value FROM file_ids"));
      for (Table t : Table.values()) {
        flush(copy, t, buffers.get(t));
      }
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE namespaces SET last_jid = " + totals.rows() + ", used_bytes = "
            + totals.usedBytes() + " WHERE ns = '" + gen.ns + "'");
        s.execute("SELECT setval('file_ids', " + totals.lastFileId() + ")");
        s.execute("VACUUM ANALYZE");
      }
      return totals;
    }
  }

  /** A JDBC connection to the database a {@code postgresql://} URI of PgJournal names. */
  static Connection pgConnection(String uri) throws Exception {
    java.net.URI u = java.net.URI.create(uri);
    String[] user = u.getUserInfo() == null ? new String[] {"postgres"} : u.getUserInfo().split(":", 2);
    Properties props = new Properties();
    props.setProperty("user", user[0]);
    props.setProperty("password", user.length > 1 ? user[1] : "");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath(), props);
  }

  private static long firstFileId(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static void flush(CopyManager copy, Table t, StringBuilder b) throws Exception {
    if (b.isEmpty()) {
      return;
    }
    copy.copyIn("COPY " + t.name + " (" + t.columns + ") FROM STDIN", new StringReader(b.toString()));
    b.setLength(0);
  }

  /** A value in COPY's text format; generated strings hold no tab, newline or backslash. */
  private static String copyText(String column, Object value) {
    if (value == null) {
      return "\\N";
    }
    if (value instanceof byte[] bytes) {
      return "\\\\x" + HexFormat.of().formatHex(bytes);
    }
    if (TIMES.contains(column)) {
      return Instant.ofEpochMilli((Long) value).toString();
    }
    return value.toString();
  }
}
