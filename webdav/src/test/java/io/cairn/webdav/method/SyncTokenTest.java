package io.cairn.webdav.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.webdav.DavException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sync token is read back exactly as written, and nothing else a client sends gets past it. */
class SyncTokenTest {

  @Test
  void aTokenReadsBackAsWritten() {
    Map<String, Long> jids = new LinkedHashMap<>();
    jids.put("home:alice", 42L);
    jids.put("shared:team x/ä", 0L);
    SyncToken token = new SyncToken("/a b/ü", jids, new SyncToken.Cursor("shared:team x/ä", "/d/e f.txt"));
    assertEquals(token, SyncToken.parse(token.uri()));
    SyncToken complete = new SyncToken("/", jids, null);
    assertEquals(complete, SyncToken.parse(complete.uri()));
  }

  @Test
  void anythingElseIsRefusedAsAnInvalidSyncTokenAndNeverFailsOtherwise() {
    for (String bad : new String[] {
        "", "urn:cairn:sync:", "urn:cairn:sync:!!!", "http://example.com/1", payload("2\n/\nj\tns\t1\n"),
        payload("1\n/\n"), payload("1\n/\nj\tns\t-1\n"), payload("1\n/\nj\tns\tx\n"),
        payload("1\n/\nj\tns\t1\nj\tns\t2\n"), payload("1\nrelative\nj\tns\t1\n"),
        payload("1\n/\nj\tns\t1\nc\tother\t/x\n"), payload("1\n/\nj\tns\t1\nc\tns\t/x\nj\tns2\t1\n"),
        payload("1\n/\nj\tns\t1"), payload("1\n/\nj\tns\t1\nc\tns\trel\n")}) {
      assertInvalid(bad);
    }
    Random random = new Random(6578);
    for (int i = 0; i < 5000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      String uri = SyncToken.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
      try {
        SyncToken.parse(uri);
      } catch (DavException e) {
        assertEquals("valid-sync-token", e.precondition());
      }
    }
  }

  private static void assertInvalid(String uri) {
    DavException e = assertThrows(DavException.class, () -> SyncToken.parse(uri), uri);
    assertEquals(403, e.status());
    assertEquals("valid-sync-token", e.precondition());
  }

  private static String payload(String text) {
    return SyncToken.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
