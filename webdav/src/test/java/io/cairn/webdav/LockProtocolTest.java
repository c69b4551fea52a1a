package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.storage.testkit.MutableClock;
import io.cairn.webdav.lock.LockSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOCK, UNLOCK, the If header and lock enforcement through the production stack (a real server
 * over SQLite and files, see {@link TestDav}), request by request as a client sends them.
 */
class LockProtocolTest {
  private static final String EXCLUSIVE =
      "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/>"
          + "</D:lockscope><D:locktype><D:write/></D:locktype>"
          + "<D:owner><D:href>mailto:ann@example.com</D:href></D:owner></D:lockinfo>";
  private static final String SHARED = EXCLUSIVE.replace("exclusive", "shared");

  @TempDir Path dir;
  private MutableClock clock;
  private LocalLockManager locks;
  private TestDav dav;
  private String base;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    locks = new LocalLockManager(clock);
    dav = TestDav.start(dir, b -> b.locks(locks, clock));
    base = dav.base;
  }

  @AfterEach
  void tearDown() {
    dav.close();
  }

  /** An answer, read as the tests read it. */
  private record Answer(HttpResponse<byte[]> response) {
    int code() {
      return response.statusCode();
    }

    byte[] bytes() {
      return response.body();
    }

    String body() {
      return new String(response.body(), StandardCharsets.UTF_8);
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  private Answer send(String method, String path, String body, String... headers) {
    return new Answer(dav.send(method, path, body, headers));
  }

  private void put(String path) {
    int code = send("PUT", path, "content").code();
    assertTrue(code == 201 || code == 204, path + " " + code);
  }

  private String lock(String path, String body, String... headers) {
    Answer r = send("LOCK", path, body, headers);
    assertTrue(r.code() == 200 || r.code() == 201, r.code() + " " + r.body());
    String header = r.header("Lock-Token");
    assertNotNull(header);
    assertTrue(header.matches("<urn:uuid:[0-9a-f-]{36}>"), header);
    return header.substring(1, header.length() - 1);
  }

  private static String ifToken(String token) {
    return "(<" + token + ">)";
  }

  private List<ActiveLock> locksOn(String path) throws Exception {
    try {
      return locks.locks(TestDav.NS, path).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void optionsAdvertisesClassesOneAndTwoAndTheLockMethods() {
    Answer r = send("OPTIONS", "/", null);
    assertEquals("1, 2", r.header("DAV"));
    List<String> allow = Arrays.stream(r.header("Allow").split(",")).map(String::strip).toList();
    assertTrue(allow.containsAll(List.of("LOCK", "UNLOCK", "PROPFIND")), allow.toString());
  }

  @Test
  void lockAnswersWithTheLockDiscoveryAndALockTokenHeader() {
    put("/f");
    Answer r = send("LOCK", "/f", EXCLUSIVE, "Timeout", "Second-600", "Depth", "0");
    assertEquals(200, r.code());
    assertEquals("application/xml; charset=utf-8", r.header("Content-Type"));
    String token = r.header("Lock-Token").replaceAll("[<>]", "");
    String body = r.body();
    assertTrue(body.startsWith("<?xml"), body);
    assertTrue(body.contains("<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery><D:activelock>"), body);
    assertTrue(body.contains("<D:lockscope><D:exclusive/></D:lockscope>"), body);
    assertTrue(body.contains("<D:depth>0</D:depth>"), body);
    assertTrue(body.contains("<D:timeout>Second-600</D:timeout>"), body);
    assertTrue(body.contains("<D:locktoken><D:href>" + token + "</D:href></D:locktoken>"), body);
    assertTrue(body.contains("<D:lockroot><D:href>/f</D:href></D:lockroot>"), body);
    assertTrue(
        body.contains("<D:owner><D:href xmlns:D=\"DAV:\">mailto:ann@example.com</D:href></D:owner>"),
        body);
  }

  @Test
  void exclusiveLockKeepsOthersOutOfEveryWritingMethod() {
    put("/f");
    put("/other");
    String token = lock("/f", EXCLUSIVE, "Depth", "0");
    for (Answer r :
        List.of(
            send("PUT", "/f", "new"),
            send("DELETE", "/f", null),
            send("MOVE", "/f", null, "Destination", base + "/moved"),
            send("COPY", "/other", null, "Destination", base + "/f", "Overwrite", "T"),
            send(
                "PROPPATCH",
                "/f",
                "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:x\">1</x>"
                    + "</D:prop></D:set></D:propertyupdate>"))) {
      assertEquals(423, r.code(), r.body());
      assertTrue(
          r.body().contains("<D:lock-token-submitted><D:href>/f</D:href></D:lock-token-submitted>"),
          r.body());
    }
    assertEquals(423, send("LOCK", "/f", SHARED).code());
    assertTrue(send("LOCK", "/f", EXCLUSIVE).body().contains("no-conflicting-lock"));
    assertEquals(204, send("PUT", "/f", "mine", "If", ifToken(token)).code());
    assertEquals("mine", send("GET", "/f", null).body());
    // The lock survives its owner's write.
    assertEquals(423, send("PUT", "/f", "theirs").code());
  }

  @Test
  void copyOfALockedResourceLeavesTheLockBehind() throws Exception {
    put("/f");
    lock("/f", EXCLUSIVE);
    assertEquals(201, send("COPY", "/f", null, "Destination", base + "/copy").code());
    assertEquals(List.of(), locksOn("/copy"));
    assertEquals(204, send("DELETE", "/copy", null).code());
  }

  @Test
  void unlockNeedsTheRightTokenAndFreesTheResource() throws Exception {
    put("/f");
    String token = lock("/f", EXCLUSIVE);
    Answer wrong = send("UNLOCK", "/f", null, "Lock-Token", "<opaquelocktoken:foobar>");
    assertEquals(409, wrong.code());
    assertTrue(wrong.body().contains("<D:lock-token-matches-request-uri/>"), wrong.body());
    assertEquals(400, send("UNLOCK", "/f", null).code());
    assertEquals(409, send("UNLOCK", "/other", null, "Lock-Token", "<" + token + ">").code());
    assertEquals(204, send("UNLOCK", "/f", null, "Lock-Token", "<" + token + ">").code());
    assertEquals(List.of(), locksOn("/f"));
    assertEquals(204, send("PUT", "/f", "free").code());
    assertEquals(409, send("UNLOCK", "/f", null, "Lock-Token", "<" + token + ">").code());
  }

  @Test
  void refreshThroughTheIfHeaderRestartsTheTimeout() throws Exception {
    put("/f");
    String token = lock("/f", EXCLUSIVE, "Timeout", "Second-100");
    clock.advance(Duration.ofSeconds(90));
    Answer r = send("LOCK", "/f", null, "If", ifToken(token), "Timeout", "Second-200");
    assertEquals(200, r.code(), r.body());
    assertTrue(r.body().contains("<D:timeout>Second-200</D:timeout>"), r.body());
    assertTrue(r.body().contains(token));
    clock.advance(Duration.ofSeconds(150));
    assertEquals(1, locksOn("/f").size());
    // An unknown token makes the If header false; no lock appears.
    assertEquals(412, send("LOCK", "/f", null, "If", "(<urn:uuid:bogus>)").code());
    // A refresh without any token cannot name a lock.
    Answer none = send("LOCK", "/f", "");
    assertEquals(412, none.code());
    assertTrue(none.body().contains("lock-token-matches-request-uri"), none.body());
    assertEquals(1, locksOn("/f").size());
  }

  @Test
  void locksExpireByTheirTimeoutWhichIsCapped() throws Exception {
    put("/f");
    lock("/f", EXCLUSIVE, "Timeout", "Second-10");
    clock.advance(Duration.ofSeconds(10));
    assertEquals(204, send("PUT", "/f", "after expiry").code());
    Answer infinite = send("LOCK", "/f", EXCLUSIVE, "Timeout", "Infinite");
    assertTrue(infinite.body().contains("<D:timeout>Second-3600</D:timeout>"), infinite.body());
    assertEquals(Duration.ofHours(1), locksOn("/f").get(0).timeout());
  }

  @Test
  void depthOneAndMalformedBodiesAreBadRequests() throws Exception {
    put("/f");
    assertEquals(400, send("LOCK", "/f", EXCLUSIVE, "Depth", "1").code());
    assertEquals(400, send("LOCK", "/f", "<lockinfo").code());
    assertEquals(400, send("PUT", "/f", "x", "If", "(<unclosed").code());
    assertEquals(List.of(), locksOn("/f"));
  }

  @Test
  void lockOnAnUnmappedUrlCreatesAnEmptyFile() throws Exception {
    Answer r = send("LOCK", "/new", EXCLUSIVE);
    assertEquals(201, r.code(), r.body());
    Answer get = send("GET", "/new", null);
    assertEquals(200, get.code());
    assertEquals(0, get.bytes().length);
    assertEquals(423, send("PUT", "/new", "x").code());
    Answer orphan = send("LOCK", "/missing/new", EXCLUSIVE);
    assertEquals(409, orphan.code());
    assertEquals(List.of(), locksOn("/missing/new"));
  }

  @Test
  void infinityLockOnAFolderCoversItsMembers() throws Exception {
    assertEquals(201, send("MKCOL", "/d", null).code());
    put("/d/f");
    String token = lock("/d", EXCLUSIVE);
    Answer denied = send("PUT", "/d/new", "x");
    assertEquals(423, denied.code());
    assertTrue(denied.body().contains("<D:href>/d/</D:href>"), denied.body());
    assertEquals(423, send("MKCOL", "/d/sub", null).code());
    assertEquals(423, send("DELETE", "/d/f", null).code());
    assertEquals(423, send("LOCK", "/d/f", SHARED).code());
    // neon's style: the token tagged with the lock root.
    String tagged = "<" + base + "/d/> " + ifToken(token);
    assertEquals(201, send("PUT", "/d/new", "x", "If", tagged).code());
    assertEquals(204, send("PUT", "/d/f", "y", "If", tagged).code());
    // litmus's indirect refresh: through a member, with the collection's token.
    assertEquals(200, send("LOCK", "/d/f", null, "If", ifToken(token)).code());
    assertEquals(204, send("DELETE", "/d/new", null, "If", tagged).code());
    assertEquals(1, locksOn("/d/f").size());
  }

  @Test
  void depthZeroLockOnAFolderProtectsItsMembershipOnly() {
    assertEquals(201, send("MKCOL", "/d", null).code());
    put("/d/f");
    String token = lock("/d", EXCLUSIVE, "Depth", "0");
    assertEquals(204, send("PUT", "/d/f", "member content is free").code());
    assertEquals(423, send("PUT", "/d/g", "a new member is not").code());
    assertEquals(423, send("DELETE", "/d/f", null).code());
    assertEquals(412, send("PUT", "/d/g", "untagged names /d/g", "If", ifToken(token)).code());
    assertEquals(201, send("PUT", "/d/g", "tagged", "If", "</d> " + ifToken(token)).code());
  }

  @Test
  void sharedLocksCoexistAndAnyOneTokenWrites() {
    put("/f");
    String one = lock("/f", SHARED);
    String two = lock("/f", SHARED);
    assertEquals(423, send("PUT", "/f", "x").code());
    assertEquals(204, send("PUT", "/f", "x", "If", ifToken(one)).code());
    assertEquals(204, send("PUT", "/f", "x", "If", ifToken(two)).code());
    assertEquals(423, send("LOCK", "/f", EXCLUSIVE).code());
  }

  @Test
  void deleteAndMoveDropTheLocksOfTheRemovedTree() throws Exception {
    assertEquals(201, send("MKCOL", "/d", null).code());
    put("/d/f");
    put("/g");
    String inner = lock("/d/f", EXCLUSIVE);
    String file = lock("/g", EXCLUSIVE);
    assertEquals(423, send("DELETE", "/d", null).code());
    // Untagged, the token is matched against /d, which its lock does not cover (RFC 4918 §10.4).
    assertEquals(412, send("DELETE", "/d", null, "If", ifToken(inner)).code());
    assertEquals(204, send("DELETE", "/d", null, "If", "</d/f> " + ifToken(inner)).code());
    assertEquals(List.of(), locksOn("/d/f"));
    int moved = send("MOVE", "/g", null, "Destination", base + "/h", "If", ifToken(file)).code();
    assertEquals(201, moved);
    assertEquals(List.of(), locksOn("/g"));
    assertEquals(List.of(), locksOn("/h"));
    put("/g");
  }

  @Test
  void ifHeaderMustHoldForEveryMethod() {
    put("/f");
    String etag = send("GET", "/f", null).header("ETag");
    assertNotNull(etag);
    assertEquals(200, send("GET", "/f", null, "If", "([" + etag + "])").code());
    assertEquals(412, send("GET", "/f", null, "If", "([\"wrong\"])").code());
    assertEquals(412, send("PUT", "/f", "x", "If", "(<DAV:no-lock>)").code());
    assertEquals(204, send("PUT", "/f", "x", "If", "(Not <DAV:no-lock>)").code());
    assertEquals(412, send("PUT", "/f", "x", "If", "</nowhere> ([" + etag + "])").code());
  }

  @Test
  void litmusConditionalPutsOnALockedFile() {
    put("/f");
    String token = lock("/f", EXCLUSIVE);
    String etag = send("GET", "/f", null).header("ETag");
    String badEtag = etag.substring(0, etag.length() - 2) + "x\"";
    assertEquals(204, send("PUT", "/f", "x", "If", "(<" + token + "> [" + etag + "])").code());
    etag = send("GET", "/f", null).header("ETag");
    assertEquals(412, send("PUT", "/f", "x", "If", "(<DAV:no-lock> [" + etag + "])").code());
    assertEquals(204, send("PUT", "/f", "x", "If", ifToken(token) + " (Not <DAV:no-lock>)").code());
    assertEquals(
        423, send("PUT", "/f", "x", "If", "(<" + token + "x>) (Not <DAV:no-lock>)").code());
    etag = send("GET", "/f", null).header("ETag");
    String complex = "(<" + token + "> [%s]) (Not <DAV:no-lock> [%s])";
    assertEquals(204, send("PUT", "/f", "x", "If", complex.formatted(etag, etag)).code());
    assertEquals(412, send("PUT", "/f", "x", "If", complex.formatted(badEtag, badEtag)).code());
  }

  @Test
  void propfindReportsLockDiscoveryAndSupportedLock() {
    assertEquals(201, send("MKCOL", "/d", null).code());
    put("/d/f");
    String token = lock("/d", SHARED);
    String named =
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/>"
            + "<D:supportedlock/></D:prop></D:propfind>";
    Answer r = send("PROPFIND", "/d/f", named, "Depth", "0");
    assertEquals(207, r.code());
    String body = r.body();
    Matcher activeLock = Pattern.compile("<(\\w+):activelock>(.*?)</\\1:activelock>").matcher(body);
    assertTrue(activeLock.find(), body);
    String p = activeLock.group(1);
    String lock = activeLock.group(2);
    assertTrue(lock.contains("<" + p + ":shared/>"), lock);
    assertTrue(lock.contains("<" + p + ":href>" + token + "</" + p + ":href>"), lock);
    assertTrue(lock.contains("<" + p + ":lockroot><" + p + ":href>/d/</"), lock);
    assertTrue(lock.contains("<" + p + ":depth>infinity</" + p + ":depth>"), lock);
    assertTrue(body.contains("<" + p + ":lockentry><" + p + ":lockscope><" + p + ":exclusive/>"));
    assertTrue(body.contains("<" + p + ":lockentry><" + p + ":lockscope><" + p + ":shared/>"));
    String allprop = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
    Answer all = send("PROPFIND", "/d", allprop, "Depth", "1");
    assertEquals(207, all.code());
    Matcher each = Pattern.compile(":activelock>").matcher(all.body());
    int count = 0;
    while (each.find()) {
      count++;
    }
    assertEquals(4, count, "one lock, opened and closed, on /d and on /d/f: " + all.body());
    assertTrue(all.body().contains("supportedlock"));
  }

  @Test
  void propfindOfAnUnlockedResourceHasAnEmptyLockDiscovery() {
    put("/f");
    String named =
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/>"
            + "</D:prop></D:propfind>";
    Answer r = send("PROPFIND", "/f", named, "Depth", "0");
    assertEquals(207, r.code());
    assertTrue(r.body().matches("(?s).*<(\\w+):lockdiscovery\\s*/>.*"), r.body());
    assertFalse(r.body().contains("404"), r.body());
  }

  @Test
  void lockPropertiesAreProtected() {
    put("/f");
    Answer r =
        send(
            "PROPPATCH",
            "/f",
            "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:lockdiscovery>x</D:lockdiscovery>"
                + "</D:prop></D:set></D:propertyupdate>");
    assertEquals(207, r.code(), r.body());
    assertTrue(r.body().contains("403"), r.body());
  }

  @Test
  void classTwoRefusesANonPositiveTimeoutCapOrBodyLimit() {
    DavLockTargets targets = new DavLockTargets(dav.dav.site());
    assertThrows(
        IllegalArgumentException.class, () -> LockSupport.create(locks, targets, clock, Duration.ZERO, 1 << 10));
    assertThrows(
        IllegalArgumentException.class, () -> LockSupport.create(locks, targets, clock, Duration.ofHours(1), 0));
  }
}
