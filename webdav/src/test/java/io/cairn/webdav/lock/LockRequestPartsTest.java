package io.cairn.webdav.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.cluster.lock.LockScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small parsers of a LOCK or UNLOCK request: Timeout, the lockinfo body, Lock-Token. */
class LockRequestPartsTest {
  private static final Duration MAX = Duration.ofHours(1);

  private static LockInfoBody body(String xml) {
    return LockInfoBody.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void timeoutIsTheFirstUnderstoodValueCappedAtTheMaximum() {
    assertEquals(MAX, TimeoutHeader.granted(null, MAX));
    assertEquals(MAX, TimeoutHeader.granted("Infinite", MAX));
    assertEquals(Duration.ofSeconds(100), TimeoutHeader.granted("Second-100", MAX));
    assertEquals(MAX, TimeoutHeader.granted("Second-4100000000", MAX));
    assertEquals(MAX, TimeoutHeader.granted("Second-99999999999999999999999", MAX));
    assertEquals(Duration.ofSeconds(60), TimeoutHeader.granted("Fortnight, second-60", MAX));
    assertEquals(MAX, TimeoutHeader.granted("Infinite, Second-60", MAX));
    assertEquals(Duration.ofSeconds(1), TimeoutHeader.granted("Second-0", MAX));
    assertEquals(MAX, TimeoutHeader.granted("Second-", MAX));
    assertEquals(MAX, TimeoutHeader.granted("garbage", MAX));
  }

  @Test
  void neonLockinfoWithDefaultNamespaceAndTextOwner() {
    LockInfoBody info =
        body(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<lockinfo xmlns='DAV:'>\n"
                + " <lockscope><exclusive/></lockscope>\n<locktype><write/></locktype>"
                + "<owner>litmus test suite</owner>\n</lockinfo>\n");
    assertEquals(new LockInfoBody(LockScope.EXCLUSIVE, "litmus test suite"), info);
  }

  @Test
  void ownerElementsKeepTheirNamespaces() {
    LockInfoBody info =
        body(
            "<D:lockinfo xmlns:D=\"DAV:\" xmlns:x=\"urn:x\"><D:lockscope><D:shared/></D:lockscope>"
                + "<D:locktype><D:write/></D:locktype>"
                + "<D:owner><D:href>http://example.org/~ejw/contact.html</D:href>"
                + "<x:note a=\"1\">a &amp; b</x:note></D:owner></D:lockinfo>");
    assertEquals(LockScope.SHARED, info.scope());
    assertEquals(
        "<D:href xmlns:D=\"DAV:\">http://example.org/~ejw/contact.html</D:href>"
            + "<x:note a=\"1\" xmlns:x=\"urn:x\">a &amp; b</x:note>",
        info.owner());
  }

  @Test
  void lockinfoWithoutOwnerHasANullOwner() {
    assertNull(
        body(
                "<lockinfo xmlns=\"DAV:\"><locktype><write/></locktype>"
                    + "<lockscope><shared/></lockscope></lockinfo>")
            .owner());
  }

  @Test
  void invalidBodiesAreRefused() {
    for (String xml :
        new String[] {
          "not xml",
          "<lockinfo/>",
          "<lockinfo xmlns=\"DAV:\"><lockscope><exclusive/></lockscope></lockinfo>",
          "<lockinfo xmlns=\"DAV:\"><lockscope><other/></lockscope><locktype><write/></locktype></lockinfo>",
          "<lockinfo xmlns=\"DAV:\"><lockscope><exclusive/></lockscope><locktype><read/></locktype></lockinfo>",
          "<lockinfo xmlns=\"DAV:\"><lockscope><exclusive/><shared/></lockscope><locktype><write/></locktype></lockinfo>",
          "<propfind xmlns=\"DAV:\"><allprop/></propfind>",
          "<!DOCTYPE lockinfo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
              + "<lockinfo xmlns=\"DAV:\"><lockscope><exclusive/></lockscope>"
              + "<locktype><write/></locktype><owner>&x;</owner></lockinfo>"
        }) {
      assertThrows(LockInfoBody.Invalid.class, () -> body(xml), xml);
    }
  }

  @Test
  void lockTokenHeaderNeedsAngleBrackets() {
    assertEquals("urn:uuid:1", UnlockHandler.token("<urn:uuid:1>"));
    assertEquals("urn:uuid:1", UnlockHandler.token("  < urn:uuid:1 > "));
    assertNull(UnlockHandler.token(null));
    assertNull(UnlockHandler.token("urn:uuid:1"));
    assertNull(UnlockHandler.token("<>"));
  }
}
