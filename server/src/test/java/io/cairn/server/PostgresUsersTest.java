package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.storage.testkit.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users beside a PostgreSQL journal: first start, a second user, homes kept apart. */
class PostgresUsersTest {

  @Test
  void usersAndHomesLiveInPostgres(@TempDir Path dir) throws Exception {
    String uri = PostgresServer.shared().newDatabase();
    Map<String, String> pg = Map.of("journal.uri", uri);
    try (TestServer s = TestServer.start(dir.resolve("data"), pg, java.net.http.HttpClient.newHttpClient())) {
      s.server.accounts().addUser("quinn", "quinn-password", false);
      String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
      String quinn = TestServer.basic("quinn", "quinn-password");
      assertEquals(201, s.send(admin, "PUT", "/a.txt", "admin's".getBytes()).statusCode());
      assertEquals(404, s.send(quinn, "GET", "/a.txt", null).statusCode());
      assertEquals("PgUserStore", s.server.accounts().store().getClass().getSimpleName());
    }
    // a second start finds the users there and does not make admin again
    try (TestServer s = TestServer.start(dir.resolve("data"), pg, java.net.http.HttpClient.newHttpClient())) {
      assertEquals(2, s.server.accounts().listUsers().size());
      assertEquals(200, s.send(TestServer.basic("quinn", "quinn-password"), "GET", "/", null).statusCode());
    }
  }
}
