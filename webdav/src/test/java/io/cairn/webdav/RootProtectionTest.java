package io.cairn.webdav;

import io.cairn.files.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.files.Caller;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace's root is never deleted, moved, copied or replaced: 403 with a reason, whatever
 * locks exist, and nothing changes. This holds for a user's home and for a shared namespace where
 * it appears as a folder of the home.
 */
class RootProtectionTest {
  static final String LOCK_BODY =
      "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
          + "<D:locktype><D:write/></D:locktype></D:lockinfo>";

  static TestDav withLocks(Path dir, java.util.function.Consumer<CairnDav.Builder> more) {
    Clock clock = Clock.systemUTC();
    return TestDav.start(dir, b -> more.accept(b.locks(new LocalLockManager(clock), clock)));
  }

  static void assertForbidden(HttpResponse<byte[]> r, String what) {
    assertEquals(403, r.statusCode(), what + ": " + TestDav.text(r));
    assertTrue(TestDav.text(r).contains("root"), what + " says why: " + TestDav.text(r));
  }

  @Test
  void theRootCannotBeDeletedMovedCopiedOrReplacedEvenWhileSomethingIsLocked(@TempDir Path dir) {
    try (TestDav dav = withLocks(dir, b -> {})) {
      assertEquals(201, dav.status("MKCOL", "/d"));
      assertEquals(201, dav.put("/d/f.txt", "content".getBytes()).statusCode());
      assertEquals(201, dav.put("/locked.txt", "mine".getBytes()).statusCode());
      long before = dav.lastJid();
      for (boolean locked : new boolean[] {false, true}) {
        if (locked) {
          assertEquals(200, dav.send("LOCK", "/locked.txt", LOCK_BODY, "Timeout", "Second-600").statusCode());
        }
        String when = locked ? " with a lock below" : " without locks";
        assertForbidden(dav.send("DELETE", "/", (byte[]) null), "DELETE /" + when);
        assertForbidden(dav.send("MOVE", "/", (byte[]) null, "Destination", dav.base + "/moved/"), "MOVE /" + when);
        assertForbidden(dav.send("COPY", "/", (byte[]) null, "Destination", dav.base + "/copy/"), "COPY /" + when);
        assertForbidden(dav.send("MOVE", "/d", (byte[]) null, "Destination", dav.base + "/"), "MOVE onto /" + when);
        assertForbidden(dav.send("COPY", "/d", (byte[]) null, "Destination", "/"), "COPY onto /" + when);
      }
      assertEquals(before, dav.lastJid(), "nothing was committed");
      assertEquals("content", TestDav.text(dav.get("/d/f.txt")));
      assertEquals("mine", TestDav.text(dav.get("/locked.txt")));
      assertEquals(404, dav.get("/moved/").statusCode());
      assertEquals(404, dav.get("/copy/").statusCode());
    }
  }

  @Test
  void aSharedNamespacesFolderInAHomeIsItsRootAndStaysToo(@TempDir Path dir) throws Exception {
    Caller alice =
        new Caller("alice", "home:alice", -1, List.of(new Caller.Share("team", "shared:team", true)));
    Clock clock = Clock.systemUTC();
    try (TestDav dav =
        TestDav.startAs(alice, Files.createDirectories(dir.resolve("data")), b -> b.perUser().locks(new LocalLockManager(clock), clock))) {
      dav.dav.site().files().ensureNamespace("home:alice");
      dav.dav.site().files().ensureNamespace("shared:team");
      assertEquals(201, dav.put("/team/plan.txt", "the plan".getBytes()).statusCode());
      assertEquals(201, dav.status("MKCOL", "/mine"));
      long team = Await.result(dav.journal.namespace("shared:team")).lastJid();
      long home = Await.result(dav.journal.namespace("home:alice")).lastJid();
      assertForbidden(dav.send("DELETE", "/team/", (byte[]) null), "DELETE of the share's folder");
      assertForbidden(dav.send("DELETE", "/team", (byte[]) null), "DELETE of the share's folder without a slash");
      assertForbidden(dav.send("MOVE", "/team/", (byte[]) null, "Destination", dav.base + "/elsewhere/"), "MOVE of the share's folder");
      assertForbidden(dav.send("COPY", "/team/", (byte[]) null, "Destination", dav.base + "/mine/team/"), "COPY of the share's folder");
      assertForbidden(dav.send("MOVE", "/mine", (byte[]) null, "Destination", dav.base + "/team/"), "MOVE onto the share's folder");
      assertForbidden(dav.send("COPY", "/mine", (byte[]) null, "Destination", dav.base + "/team/"), "COPY onto the share's folder");
      assertForbidden(dav.send("DELETE", "/", (byte[]) null), "DELETE of the home");
      assertEquals(team, Await.result(dav.journal.namespace("shared:team")).lastJid(), "the share is unchanged");
      assertEquals(home, Await.result(dav.journal.namespace("home:alice")).lastJid(), "the home is unchanged");
      assertEquals("the plan", TestDav.text(dav.get("/team/plan.txt")));
      assertEquals(404, dav.get("/elsewhere/").statusCode());
    }
  }
}
