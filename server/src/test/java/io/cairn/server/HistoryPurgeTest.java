package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.server.cli.AdminCli;
import io.cairn.storage.testkit.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin purges one file's history (a leaked secret), through the admin API and through {@code
 * cairn ns purge}: the earlier versions are expired at once, and once gc's grace has passed the
 * secret's chunks are gone from the store while the current version still reads.
 */
class HistoryPurgeTest {
  private static final String ALICE = TestServer.basic("alice", "alice-password");
  private static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  private final MutableClock clock = new MutableClock(Instant.now());
  @TempDir Path dir;
  private TestServer s;

  @BeforeEach
  void start() throws Exception {
    s = TestServer.start(dir, Map.of("gc.interval.hours", "0", "gc.grace.hours", "3"), clock);
    s.server.accounts().addUser("alice", "alice-password", false);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void aPurgeThroughTheAdminApiExpiresEarlierVersionsAndGcFreesTheirChunksAfterTheGrace() throws Exception {
    byte[] secret = content("password=hunter2");
    byte[] clean = content("password=<redacted>");
    assertEquals(201, s.send(ALICE, "PUT", "/config.txt", secret).statusCode());
    assertEquals(204, s.send(ALICE, "PUT", "/config.txt", clean).statusCode());

    String fileId = NextcloudDialectTest.prop(body(s.send(ALICE, "PROPFIND", "/remote.php/dav/files/alice/config.txt",
        NextcloudDialectTest.PROPS.getBytes(StandardCharsets.UTF_8), "Depth", "0")), "oc:fileid");
    String versionsUrl = "/remote.php/dav/versions/alice/versions/" + fileId;
    assertEquals(1, nextcloudVersions(versionsUrl), "the earlier version, before the purge");

    assertEquals(403, purge(ALICE, "/config.txt").statusCode(), "only an admin purges");
    assertEquals(400, purge(ADMIN, "relative").statusCode());
    HttpResponse<byte[]> done = purge(ADMIN, "/config.txt");
    assertEquals(200, done.statusCode(), body(done));
    assertEquals(1, new JsonObject(body(done)).getJsonArray("versions").size(), body(done));

    JsonArray versions = history("/config.txt");
    assertEquals(null, versions.getJsonObject(0).getBoolean("expired"), "the current version stays");
    assertEquals(true, versions.getJsonObject(1).getBoolean("expired"));
    long old = versions.getJsonObject(1).getLong("jid");
    assertEquals(0, nextcloudVersions(versionsUrl), "the Nextcloud clients no longer see it");
    assertEquals(410, s.send(ALICE, "GET", "/.cairn/api/v1/content?path=/config.txt&version=" + old, null).statusCode());

    assertTrue(stored(secret), "still there within the grace");
    s.server.collectGarbage();
    assertTrue(stored(secret), "a run within the grace keeps it");
    clock.advance(Duration.ofHours(4));
    assertEquals(1, s.server.collectGarbage().sweptChunks());
    assertFalse(stored(secret), "the secret's chunk is gone from the store");
    assertArrayEquals(clean, s.send(ALICE, "GET", "/config.txt", null).body());
  }

  @Test
  void cairnNsPurgeExpiresEarlierVersionsAndTheTrash() throws Exception {
    byte[] secret = content("token=abc");
    assertEquals(201, s.send(ALICE, "PUT", "/key.txt", secret).statusCode());
    assertEquals(204, s.send(ALICE, "PUT", "/key.txt", content("token=")).statusCode());
    assertEquals(201, s.send(ALICE, "PUT", "/leak.txt", content("leak")).statusCode());
    assertEquals(204, s.send(ALICE, "DELETE", "/leak.txt", null).statusCode());

    assertEquals(0, cli("ns", "purge", "home:alice", "/key.txt"), "purge /key.txt");
    assertEquals(0, cli("ns", "purge", "home:alice", "/leak.txt", "--trash"), "purge /leak.txt");
    assertEquals(true, history("/key.txt").getJsonObject(1).getBoolean("expired"));
    assertEquals(new JsonArray(), trash(), "the purged trash is no longer listed");
    assertEquals(1, cli("ns", "purge", "home:nobody", "/key.txt"), "an unknown namespace is refused");
    assertEquals(2, cli("ns", "purge", "home:alice"), "a missing path is a usage error");

    clock.advance(Duration.ofHours(4));
    assertEquals(2, s.server.collectGarbage().sweptChunks(), "the secret and the deleted file's chunk");
    assertFalse(stored(secret));
  }

  private int nextcloudVersions(String versionsUrl) throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "PROPFIND", versionsUrl, NextcloudDialectTest.PROPS.getBytes(StandardCharsets.UTF_8),
        "Depth", "1");
    assertEquals(207, r.statusCode(), body(r));
    return NextcloudDialectTest.countVersions(body(r), versionsUrl);
  }

  private int cli(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return new AdminCli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]))
        .run(new ArrayList<>(List.of(args)), s.server.config(), CairnServer::openAccounts);
  }

  private HttpResponse<byte[]> purge(String auth, String path) throws Exception {
    return s.send(auth, "POST", "/.cairn/admin/namespaces/home:alice/purge",
        new JsonObject().put("path", path).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  private static byte[] content(String text) {
    return (text + "\n" + "#".repeat(3_000)).getBytes(StandardCharsets.UTF_8);
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private boolean stored(byte[] content) {
    String hex = ChunkHash.sha256(content).hex();
    return Files.exists(dir.resolve("chunks").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex));
  }

  private JsonArray history(String path) throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", "/.cairn/api/v1/history?path=" + path, null);
    assertEquals(200, r.statusCode(), body(r));
    return new JsonObject(body(r)).getJsonArray("versions");
  }

  private JsonArray trash() throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "GET", "/.cairn/api/v1/trash?path=/", null);
    return new JsonObject(body(r)).getJsonArray("trash");
  }
}
