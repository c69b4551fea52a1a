package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.webdav.method.DavMethod;
import io.cairn.webdav.method.DavMethod.Target;
import io.milton.http.Request;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The method table is what the server does: every method in it has a handler, and OPTIONS, 405 and
 * 501 answer exactly the table's Allow lists through the production stack.
 */
class DavMethodTableTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    Clock clock = Clock.systemUTC();
    dav = TestDav.start(dir, b -> b.locks(new LocalLockManager(clock), clock));
    assertEquals(201, dav.put("/file.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode());
    assertEquals(201, dav.status("MKCOL", "/folder/"));
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  @Test
  void everyMethodInTheTableHasAHandler() {
    for (DavMethod m : DavMethod.values()) {
      assertNotNull(dav.dav.manager().getMethodHandler(Request.Method.valueOf(m.name())), m.name());
    }
  }

  @Test
  void everyMethodThatChangesItsTargetIsLockCheckedAndNoReadIs() {
    for (DavMethod m : DavMethod.values()) {
      assertEquals(m.changesTarget(), m.targetLock() != DavMethod.TargetLock.NONE, m.name());
    }
  }

  @Test
  void optionsAnswersTheTablesAllowListForEachKindOfTarget() throws IOException {
    assertEquals(DavMethod.allow(Target.FILE), allow("OPTIONS", "/file.txt"));
    assertEquals(DavMethod.allow(Target.FOLDER), allow("OPTIONS", "/folder/"));
    assertEquals(DavMethod.allow(Target.ABSENT), allow("OPTIONS", "/absent.txt"));
    assertEquals(DavMethod.allowAll(), allowOfTheServer());
  }

  @Test
  void theAllowListsAreTheOnesClientsHaveAlwaysSeen() {
    assertEquals(
        "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK, REPORT",
        DavMethod.allowAll());
    assertEquals(
        "OPTIONS, GET, HEAD, PUT, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK", DavMethod.allow(Target.FILE));
    assertEquals(
        "OPTIONS, GET, HEAD, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK, REPORT",
        DavMethod.allow(Target.FOLDER));
    assertEquals("OPTIONS, PUT, MKCOL, LOCK", DavMethod.allow(Target.ABSENT));
  }

  @Test
  void methodsOutsideTheTableAnswerWithEveryMethodAllowed() {
    HttpResponse<byte[]> unknown = dav.send("BREW", "/file.txt", (byte[]) null);
    assertEquals(501, unknown.statusCode());
    assertEquals(DavMethod.allowAll(), unknown.headers().firstValue("Allow").orElse(null));
    HttpResponse<byte[]> unserved = dav.send("POST", "/file.txt", (byte[]) null);
    assertEquals(405, unserved.statusCode());
    assertEquals(DavMethod.allowAll(), unserved.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void aPutOnAFolderNamesTheFoldersMethods() {
    HttpResponse<byte[]> r = dav.put("/folder/", new byte[1]);
    assertEquals(405, r.statusCode());
    assertEquals(DavMethod.allow(Target.FOLDER), r.headers().firstValue("Allow").orElse(null));
  }

  /** {@code OPTIONS *}, which java.net.http cannot send. */
  private static String allowOfTheServer() throws IOException {
    try (Socket s = new Socket("127.0.0.1", dav.port())) {
      s.getOutputStream()
          .write("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      return answer.lines()
          .filter(l -> l.regionMatches(true, 0, "Allow:", 0, 6))
          .map(l -> l.substring(6).strip())
          .findFirst()
          .orElse(null);
    }
  }

  private static String allow(String method, String path) {
    HttpResponse<byte[]> r = dav.send(method, path, (byte[]) null);
    assertEquals(200, r.statusCode(), method + " " + path);
    return r.headers().firstValue("Allow").orElse(null);
  }
}
