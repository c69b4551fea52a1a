package io.cairn.server;

import static io.cairn.server.QuotaTest.prop;
import static io.cairn.server.QuotaTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.cli.AdminCli;
import io.cairn.storage.testkit.PostgresServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live, version and trash bytes per user (issue 14): reported apart by the admin API and {@code
 * cairn quota show}, and counted against the quota only with {@code quota.counts.history = true};
 * on SQLite and on PostgreSQL.
 */
class QuotaHistoryTest {
  private static final String GINA = TestServer.basic("gina", "gina-password");
  private static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  private static final int K400 = 400_000;

  @TempDir Path dir;

  @Test
  void withHistoryCountedVersionsFillTheQuotaAndAPutIs507() throws Exception {
    versionsFillTheQuota(Map.of(), true);
  }

  @Test
  void byDefaultVersionsDoNotCountAndThePutSucceeds() throws Exception {
    versionsFillTheQuota(Map.of(), false);
  }

  @Test
  void onPostgresqlWithHistoryCountedVersionsFillTheQuota() throws Exception {
    versionsFillTheQuota(Map.of("journal.uri", PostgresServer.shared().newDatabase()), true);
  }

  @Test
  void onPostgresqlByDefaultVersionsDoNotCount() throws Exception {
    versionsFillTheQuota(Map.of("journal.uri", PostgresServer.shared().newDatabase()), false);
  }

  private void versionsFillTheQuota(Map<String, String> backend, boolean countsHistory) throws Exception {
    Map<String, String> config = new HashMap<>(backend);
    config.put("gc.interval.hours", "0");
    if (countsHistory) {
      config.put("quota.counts.history", "true");
    }
    try (TestServer s = TestServer.start(dir.resolve("data"), config, java.time.Clock.systemUTC())) {
      s.server.accounts().addUser("gina", "gina-password", false);
      s.server.accounts().addUser("hugo", "hugo-password", false);
      s.server.accounts().setQuota("gina", 1_000_000);
      assertEquals(201, s.send(GINA, "PUT", "/a.bin", random(K400, 1)).statusCode());
      assertEquals(204, s.send(GINA, "PUT", "/a.bin", random(K400, 2)).statusCode());
      JsonObject q = quota(s, GINA, 200);
      assertEquals(List.of(K400, K400, 0, 2 * K400), figures(q), q.encode());
      assertEquals(countsHistory ? 2 * K400 : K400, q.getLong("countedBytes"));
      assertEquals(1_000_000, q.getLong("quotaBytes"));
      assertEquals(countsHistory, q.getBoolean("countsHistory"));
      assertEquals("home:gina", q.getString("namespace"));
      assertEquals(1_000_000 - q.getLong("countedBytes"), available(s), "quota-available-bytes takes off what counts");

      // a third version: 400k live + 400k of versions + 400k more passes 1,000,000 only if versions count
      int third = s.send(GINA, "PUT", "/a.bin", random(K400, 3)).statusCode();
      assertEquals(countsHistory ? 507 : 204, third);
      assertEquals(201, s.send(GINA, "PUT", "/b.bin", random(100_000, 4)).statusCode(), "what still fits is taken");
      assertEquals(204, s.send(GINA, "DELETE", "/b.bin", null).statusCode());
      q = quota(s, GINA, 200);
      int versions = countsHistory ? K400 : 2 * K400;
      assertEquals(List.of(K400, versions, 100_000, K400 + versions + 100_000), figures(q), q.encode());

      assertEquals(200, quota(s, ADMIN, 200).getInteger("liveBytes") / 2000, "an admin asks for any user");
      quota(s, TestServer.basic("hugo", "hugo-password"), 403);
      assertEquals(404, s.send(ADMIN, "GET", "/.cairn/admin/users/nobody/quota", null).statusCode());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(0, cli(s, out, "quota", "show", "gina"));
      String shown = out.toString(StandardCharsets.UTF_8);
      assertTrue(shown.contains("gina (home:gina)"), shown);
      assertTrue(shown.matches("(?s).*versions +" + versions + " bytes.*trash +100000 bytes.*"), shown);
      assertTrue(shown.contains(countsHistory ? "live, versions and trash count" : "versions and trash do not"), shown);
      assertEquals(1, cli(s, new ByteArrayOutputStream(), "quota", "show", "nobody"), "an unknown user");
    }
  }

  private static List<Integer> figures(JsonObject q) {
    return List.of(q.getInteger("liveBytes"), q.getInteger("versionBytes"), q.getInteger("trashBytes"),
        q.getInteger("totalBytes"));
  }

  private static JsonObject quota(TestServer s, String auth, int status) throws Exception {
    HttpResponse<byte[]> r = s.send(auth, "GET", "/.cairn/admin/users/gina/quota", null);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(status, r.statusCode(), body);
    return new JsonObject(body);
  }

  private static long available(TestServer s) throws Exception {
    String xml = new String(s.send(GINA, "PROPFIND", "/", ("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\">"
        + "<D:prop><D:quota-available-bytes/></D:prop></D:propfind>").getBytes(StandardCharsets.UTF_8), "Depth", "0")
        .body(), StandardCharsets.UTF_8);
    return prop(xml, "quota-available-bytes");
  }

  private static int cli(TestServer s, ByteArrayOutputStream out, String... args) {
    return new AdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]))
        .run(new ArrayList<>(List.of(args)), s.server.config(), CairnServer::openAccounts);
  }
}
