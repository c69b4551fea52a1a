package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.storage.users.Grant;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared namespace "team": ivy may write, jack may only read, kate has no grant. It appears as
 * /team/ in the homes of ivy and jack, nowhere else, and read-only means no write of any kind.
 */
class SharedNamespaceTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String IVY = TestServer.basic("ivy", "ivy-password");
  static final String JACK = TestServer.basic("jack", "jack-password");
  static final String KATE = TestServer.basic("kate", "kate-password");

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"));
    for (String u : new String[] {"ivy", "jack", "kate"}) {
      s.server.accounts().addUser(u, u + "-password", false);
    }
    assertEquals("shared:team", s.server.accounts().createShared("team"));
    s.server.accounts().grant("team", "ivy", Grant.Access.WRITE);
    s.server.accounts().grant("team", "jack", Grant.Access.READ);
    assertEquals(201, s.send(IVY, "PUT", "/team/plan.txt", "the plan".getBytes()).statusCode());
    assertEquals(201, s.send(JACK, "PUT", "/own.txt", "jack's".getBytes()).statusCode());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void grantedUsersSeeTheSharedFolderInTheirHome() throws Exception {
    assertEquals("the plan", text(s.send(JACK, "GET", "/team/plan.txt", null)));
    String list = text(s.send(JACK, "PROPFIND", "/", null, "Depth", "1"));
    assertTrue(list.contains("/team/</D:href>"), list);
    assertTrue(list.contains("/own.txt</D:href>"), list);
    String inside = text(s.send(IVY, "PROPFIND", "/team/", null, "Depth", "1"));
    assertTrue(inside.contains("/team/plan.txt</D:href>"), inside);
    // the shared folder is the namespace's root: it cannot be deleted or moved
    assertEquals(403, s.send(IVY, "DELETE", "/team", null).statusCode());
    assertEquals(403, s.send(IVY, "MOVE", "/team", null, "Destination", s.url("/elsewhere")).statusCode());
    assertEquals(201, s.send(IVY, "MKCOL", "/own-folder", null).statusCode());
    assertEquals(403, s.send(IVY, "MOVE", "/own-folder", null, "Destination", s.url("/team/")).statusCode());
    assertEquals("the plan", text(s.send(IVY, "GET", "/team/plan.txt", null)));
  }

  @Test
  void readOnlyGranteeCannotWriteAnything() throws Exception {
    String before = text(s.send(IVY, "PROPFIND", "/team/", null, "Depth", "1"));
    assertEquals(403, s.send(JACK, "PUT", "/team/plan.txt", "jack's plan".getBytes()).statusCode());
    assertEquals(403, s.send(JACK, "PUT", "/team/new.txt", "x".getBytes()).statusCode());
    assertEquals(403, s.send(JACK, "DELETE", "/team/plan.txt", null).statusCode());
    assertEquals(403, s.send(JACK, "MKCOL", "/team/d", null).statusCode());
    assertEquals(403, s.send(JACK, "PROPPATCH", "/team/plan.txt", "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:x\">1</x></D:prop></D:set></D:propertyupdate>".getBytes()).statusCode());
    assertEquals(403, s.send(JACK, "MOVE", "/team/plan.txt", null, "Destination", s.url("/stolen.txt")).statusCode());
    assertEquals(403, s.send(JACK, "COPY", "/own.txt", null, "Destination", s.url("/team/own.txt")).statusCode());
    assertEquals(403, s.send(JACK, "LOCK", "/team/plan.txt", IsolationTest.bytes(IsolationTest.LOCK_BODY)).statusCode());
    // a writer's lock cannot be ended by a reader, though lockdiscovery shows him its token
    HttpResponse<byte[]> lock = s.send(IVY, "LOCK", "/team/plan.txt", IsolationTest.bytes(IsolationTest.LOCK_BODY), "Timeout", "Second-600");
    assertEquals(200, lock.statusCode());
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    assertEquals(403, s.send(JACK, "UNLOCK", "/team/plan.txt", null, "Lock-Token", token).statusCode());
    assertEquals(423, s.send(IVY, "PUT", "/team/plan.txt", "no token".getBytes()).statusCode());
    assertEquals(204, s.send(IVY, "UNLOCK", "/team/plan.txt", null, "Lock-Token", token).statusCode());
    // reading and copying out to his home is what read access is for: across namespaces COPY is 502
    assertEquals(502, s.send(JACK, "COPY", "/team/plan.txt", null, "Destination", s.url("/copy.txt")).statusCode());
    assertEquals("the plan", text(s.send(IVY, "GET", "/team/plan.txt", null)));
    assertEquals(before, text(s.send(IVY, "PROPFIND", "/team/", null, "Depth", "1")));
  }

  @Test
  void othersCannotReachTheSharedNamespace() throws Exception {
    assertEquals(404, s.send(KATE, "GET", "/team/plan.txt", null).statusCode());
    assertEquals(404, s.send(KATE, "GET", "/shared:team/plan.txt", null).statusCode());
    assertFalse(text(s.send(KATE, "PROPFIND", "/", null, "Depth", "1")).contains("team"));
    // a folder of kate's own called "team" is just hers
    assertEquals(201, s.send(KATE, "MKCOL", "/team", null).statusCode());
    assertEquals(201, s.send(KATE, "PUT", "/team/plan.txt", "kate's".getBytes()).statusCode());
    assertEquals("the plan", text(s.send(IVY, "GET", "/team/plan.txt", null)));
  }

  @Test
  void revokingAGrantTakesEffectAtOnce() throws Exception {
    s.server.accounts().addUser("liam", "liam-password", false);
    String liam = TestServer.basic("liam", "liam-password");
    s.server.accounts().grant("team", "liam", Grant.Access.READ);
    assertEquals(200, s.send(liam, "GET", "/team/plan.txt", null).statusCode());
    s.server.accounts().revokeGrant("team", "liam");
    assertEquals(404, s.send(liam, "GET", "/team/plan.txt", null).statusCode());
  }

  @Test
  void aGrantThatWouldHideAFolderOfTheUsersIsRefused() throws Exception {
    s.server.accounts().addUser("uma", "uma-secret-1", false);
    s.server.accounts().createShared("plans");
    String uma = TestServer.basic("uma", "uma-secret-1");
    assertEquals(201, s.send(uma, "MKCOL", "/plans", null).statusCode());
    assertEquals(201, s.send(uma, "PUT", "/plans/mine.txt", "mine".getBytes()).statusCode());
    CairnException e = assertThrows(CairnException.class, () -> s.server.accounts().grant("plans", "uma", Grant.Access.WRITE));
    assertEquals(CairnException.Kind.ALREADY_EXISTS, e.kind());
    assertTrue(e.getMessage().contains("uma has a folder /plans in their home"), e.getMessage());
    assertEquals("mine", new String(s.send(uma, "GET", "/plans/mine.txt", null).body()), "nothing of hers is hidden");
    assertEquals(201, s.send(uma, "MOVE", "/plans", null, "Destination", s.url("/my-plans")).statusCode());
    s.server.accounts().grant("plans", "uma", Grant.Access.WRITE);
    assertEquals(207, s.send(uma, "PROPFIND", "/plans", null, "Depth", "0").statusCode(), "granted once the name is free");
  }

  @Test
  void grantsNeedAnExistingNamespaceAndUser() {
    CairnException e = assertThrows(CairnException.class, () -> s.server.accounts().grant("nope", "ivy", Grant.Access.READ));
    assertEquals(CairnException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("no such namespace: nope"), e.getMessage());
    assertEquals(CairnException.Kind.NOT_FOUND,
        assertThrows(CairnException.class, () -> s.server.accounts().grant("team", "nobody", Grant.Access.READ)).kind());
    assertEquals(CairnException.Kind.ALREADY_EXISTS,
        assertThrows(CairnException.class, () -> s.server.accounts().createShared("team")).kind());
  }
}
