package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.webdav.PathCodec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by a build that stored names as clients sent them: the next start
 * renames them to NFC (docs/names.md), and a user sees one name per file, a colliding one kept
 * under a marked name with its content.
 */
class NfcNamesStartupTest {
  private static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);

  @Test
  void aStartRenamesStoredNfdNamesAndKeepsCollisions(@TempDir Path data) throws Exception {
    try (TestServer s = TestServer.start(data)) {
      put(s, "/mac.txt", "from a Mac");
      put(s, "/caf%C3%A9.txt", "from Windows");
      put(s, "/old.txt", "old");
    }
    // What an older build stored for NFD requests, written past today's decoder; and a database
    // from before schema version 3, which has not run the step.
    String home = sql(data, "SELECT home FROM users WHERE name = 'admin'");
    try (Journal journal = SqliteJournal.open(data.resolve("journal.db"))) {
      move(journal, home, "/mac.txt", "/cafe\u0301.txt");
      move(journal, home, "/old.txt", "/re\u0301sume\u0301.txt");
    }
    sql(data, "DELETE FROM maintenance");

    try (TestServer s = TestServer.start(data)) {
      assertEquals(
          List.of("/", "/caf\u00e9 (unicode-duplicate 1).txt", "/caf\u00e9.txt", "/r\u00e9sum\u00e9.txt"),
          listing(s));
      assertEquals("from Windows", get(s, "/cafe%CC%81.txt"));
      assertEquals("from a Mac", get(s, "/caf%C3%A9%20(unicode-duplicate%201).txt"));
      assertEquals("old", get(s, "/re%CC%81sume%CC%81.txt"));
    }
  }

  private static void put(TestServer s, String path, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertEquals(201, s.send(ADMIN, "PUT", path, bytes).statusCode());
  }

  private static String get(TestServer s, String path) throws Exception {
    HttpResponse<byte[]> r = s.send(ADMIN, "GET", path, null);
    assertEquals(200, r.statusCode(), path);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The decoded paths of a Depth 1 PROPFIND of the home, in the order listed, but the read-only views' folder. */
  private static List<String> listing(TestServer s) throws Exception {
    HttpResponse<byte[]> r = s.send(ADMIN, "PROPFIND", "/", null, "Depth", "1");
    assertEquals(207, r.statusCode());
    Matcher m = Pattern.compile("<(?:\\w+:)?href>([^<]*)</(?:\\w+:)?href>").matcher(new String(r.body(), StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(PathCodec.decode(m.group(1)));
    }
    out.remove("/.cairn");
    return out;
  }

  private static void move(Journal journal, String ns, String from, String to) throws Exception {
    journal
        .commit(ns, new Change.Move(from, to, false, Expect.ANY), "old-build")
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }

  /** Runs one statement on the data directory's database; the first column of a query's row. */
  private static String sql(Path data, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("journal.db"));
        Statement st = c.createStatement()) {
      if (!st.execute(statement)) {
        return null;
      }
      try (ResultSet rs = st.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
