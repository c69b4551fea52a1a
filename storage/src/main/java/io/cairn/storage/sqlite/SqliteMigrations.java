package io.cairn.storage.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a journal database up to the newest schema at start: runs, in order, the scripts under
 * {@code db/sqlite/} that {@code schema_version} does not list yet.
 */
final class SqliteMigrations {
  /** Every script, oldest first; a script's version is the number after its "V". */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__users.sql",
      "V3__maintenance.sql", "V4__trash_and_chunk_refs.sql", "V5__file_ids_and_trees.sql",
      "V6__file_id_index.sql", "V7__share_links.sql",
      "V8__expired_versions.sql", "V9__chunk_deletions.sql", "V10__damaged_chunks.sql",
      "V11__entries_by_parent.sql");

  private SqliteMigrations() {}

  /**
   * Applies what is missing, all in one IMMEDIATE transaction: a second process (or the user
   * store beside the journal) opening the same file waits for it and then finds nothing to do.
   * Returns the schema version the database now has.
   */
  static int apply(SqliteConnection db, Clock clock) throws SQLException {
    db.begin(true);
    try {
      db.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER NOT NULL PRIMARY KEY, script TEXT NOT NULL, "
              + "applied_at INTEGER NOT NULL)");
      int current = (int) db.number("SELECT max(version) FROM schema_version");
      int newest = version(SCRIPTS.get(SCRIPTS.size() - 1));
      if (current > newest) {
        throw new SQLException(
            "the journal database has schema version " + current + ", newer than this build's "
                + newest);
      }
      for (String script : SCRIPTS) {
        int version = version(script);
        if (version <= current) {
          continue;
        }
        for (String statement : statements(read(script))) {
          db.execute(statement);
        }
        db.update(
            "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)",
            version, script, clock.millis());
        current = version;
      }
      db.commit();
      return current;
    } finally {
      db.rollbackQuietly();
    }
  }

  /** Fails unless the schema is exactly this build's, reading only (a read-only open migrates nothing). */
  static void requireCurrent(SqliteConnection db) throws SQLException {
    db.begin(false);
    try {
      int current = (int) db.number("SELECT max(version) FROM schema_version");
      int newest = version(SCRIPTS.get(SCRIPTS.size() - 1));
      if (current != newest) {
        throw new SQLException("the journal database has schema version " + current + ", this build's is "
            + newest + (current < newest ? " (start the server once to bring it up to date)" : ""));
      }
    } finally {
      db.rollbackQuietly();
    }
  }

  static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  private static String read(String script) {
    String resource = "/db/sqlite/" + script;
    try (InputStream in = SqliteMigrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a script at semicolons that end a line, dropping comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
