package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LocalUrlsTest {
  @Test
  void absolutePathsAreLocal() {
    assertEquals("/a%20b/", LocalUrls.rawPath("/a%20b/", "h:1"));
    assertEquals("/a", LocalUrls.rawPath(" /a?x=1 ", "h:1"));
  }

  @Test
  void absoluteUrisAreLocalOnTheSameHostAndPort() {
    assertEquals("/x", LocalUrls.rawPath("http://H:8080/x", "h:8080"));
    assertEquals("/x", LocalUrls.rawPath("http://h/x", "h:80"));
    assertEquals("/x", LocalUrls.rawPath("http://h:80/x", "h"));
    assertEquals("/x", LocalUrls.rawPath("https://h/x", "h:443"));
    assertEquals("/", LocalUrls.rawPath("http://user@h:8080", "h:8080"));
    assertEquals("/x", LocalUrls.rawPath("http://[::1]:8080/x", "[::1]:8080"));
  }

  @Test
  void otherServersAndSchemesAreNot() {
    assertNull(LocalUrls.rawPath("http://h:8081/x", "h:8080"));
    assertNull(LocalUrls.rawPath("http://other:8080/x", "h:8080"));
    assertNull(LocalUrls.rawPath("https://h:8080/x", "h:80"));
    assertNull(LocalUrls.rawPath("ftp://h:8080/x", "h:8080"));
  }

  @Test
  void neitherPathNorUriIs400() {
    assertEquals(400, assertThrows(DavException.class, () -> LocalUrls.rawPath("x/y", "h")).status());
  }
}
