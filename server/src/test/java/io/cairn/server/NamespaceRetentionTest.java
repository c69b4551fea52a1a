package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.cli.AdminCli;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A namespace's own retention settings, through the admin API and {@code cairn ns retention}, applied by the next pass. */
class NamespaceRetentionTest {
  private static final String ALICE = TestServer.basic("alice", "alice-password");
  private static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  @TempDir Path dir;
  private TestServer s;

  @BeforeEach
  void start() throws Exception {
    s = TestServer.start(dir, Map.of("gc.interval.hours", "0", "retention.trash.days", "10"), java.time.Clock.systemUTC());
    s.server.accounts().addUser("alice", "alice-password", false);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void settingsAreShownSetCheckedAndFollowedByTheNextPass() throws Exception {
    JsonObject shown = json(call(ADMIN, "GET", null), 200);
    assertEquals(new JsonObject(), shown.getJsonObject("own"));
    assertEquals(10, shown.getJsonObject("effective").getLong("retention.trash.days"), "the server's configuration");

    assertEquals(403, call(ALICE, "PUT", "{\"retention.max.versions\": 1}").statusCode(), "only an admin");
    assertEquals(400, call(ADMIN, "PUT", "{\"retention.max.versions\": 1, \"retention.colour\": 2}").statusCode());
    assertEquals(400, call(ADMIN, "PUT", "{\"retention.max.age.days\": 3}").statusCode(), "below keep.all.days");
    assertEquals(new JsonObject(), json(call(ADMIN, "GET", null), 200).getJsonObject("own"), "nothing written");
    assertEquals(404, s.send(ADMIN, "GET", "/.cairn/admin/namespaces/home:nobody/retention", null).statusCode());

    JsonObject set = json(call(ADMIN, "PUT", "{\"retention.max.versions\": 1, \"retention.trash.days\": 2}"), 200);
    assertEquals(new JsonObject().put("retention.max.versions", 1).put("retention.trash.days", 2), set.getJsonObject("own"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, cli(out, "ns", "retention", "home:alice", "max.versions=2", "trash.days=default"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("retention.max.versions = 2 (home:alice's own)"), printed);
    assertTrue(printed.contains("retention.trash.days = 10 (the server's)"), printed);
    assertEquals(2, cli(new ByteArrayOutputStream(), "ns", "retention", "home:alice", "max.versions"), "KEY=VALUE");
    assertEquals(1, cli(new ByteArrayOutputStream(), "ns", "retention", "home:alice", "colour=1"), "refused");

    for (String v : List.of("one", "two", "three")) {
      assertEquals(2, s.send(ALICE, "PUT", "/f.txt", v.getBytes(StandardCharsets.UTF_8)).statusCode() / 100);
    }
    s.server.collectGarbage();
    JsonObject history = json(s.send(ALICE, "GET", "/.cairn/api/v1/history?path=/f.txt", null), 200);
    List<Boolean> expired = new ArrayList<>();
    history.getJsonArray("versions").forEach(v -> expired.add(((JsonObject) v).getBoolean("expired", false)));
    assertEquals(List.of(false, false, true), expired, "two versions kept, as home:alice's own setting says");
  }

  private HttpResponse<byte[]> call(String auth, String method, String json) throws Exception {
    return s.send(auth, method, "/.cairn/admin/namespaces/home:alice/retention",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  private static JsonObject json(HttpResponse<byte[]> r, int status) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(status, r.statusCode(), body);
    return new JsonObject(body);
  }

  private int cli(ByteArrayOutputStream out, String... args) {
    return new AdminCli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]))
        .run(new ArrayList<>(List.of(args)), s.server.config(), CairnServer::openAccounts);
  }
}
