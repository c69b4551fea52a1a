package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.cluster.lock.LocalLockManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One limit for every XML request body, LOCK's included: over it is 413, whether the length was
 * announced or the body came chunked, and nothing is locked or changed.
 */
class XmlBodyLimitTest {
  static final int LIMIT = 4096;
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    Clock clock = Clock.systemUTC();
    dav = TestDav.start(dir, b -> b.maxXmlBodyBytes(LIMIT).locks(new LocalLockManager(clock), clock));
    assertEquals(201, dav.put("/f.txt", "content".getBytes()).statusCode());
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  static String lockinfo(int ownerChars) {
    return "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype><D:owner>" + "o".repeat(ownerChars) + "</D:owner></D:lockinfo>";
  }

  static String propfind(int padding) {
    return "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>" + " ".repeat(padding);
  }

  static String proppatch(int valueChars) {
    return "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x xmlns=\"urn:x\">"
        + "v".repeat(valueChars) + "</x></D:prop></D:set></D:propertyupdate>";
  }

  /** Sends {@code body} chunked, without a Content-Length, so that only counting can catch it. */
  static HttpResponse<byte[]> chunked(String method, String path, String body) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(dav.base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Depth", "0")
            .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
            .build();
    return dav.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anXmlBodyOverTheLimitIs413OnEveryMethodAnnouncedOrChunked() throws Exception {
    String[][] cases = {
      {"LOCK", lockinfo(LIMIT)}, {"PROPFIND", propfind(LIMIT)}, {"PROPPATCH", proppatch(LIMIT)},
    };
    for (String[] c : cases) {
      HttpResponse<byte[]> announced = dav.send(c[0], "/f.txt", c[1], "Depth", "0");
      assertEquals(413, announced.statusCode(), c[0] + " with Content-Length: " + TestDav.text(announced));
      HttpResponse<byte[]> streamed = chunked(c[0], "/f.txt", c[1]);
      assertEquals(413, streamed.statusCode(), c[0] + " chunked: " + TestDav.text(streamed));
    }
    // nothing was locked or changed: a PUT without a token goes through, the property is absent
    String props = TestDav.text(dav.send("PROPFIND", "/f.txt", propfind(0), "Depth", "0"));
    assertEquals(-1, props.indexOf("urn:x"), props);
    assertEquals(-1, props.indexOf("locktoken"), props);
    assertEquals(204, dav.put("/f.txt", "changed".getBytes()).statusCode());
  }

  @Test
  void anXmlBodyWithinTheLimitIsServed() {
    HttpResponse<byte[]> lock = dav.send("LOCK", "/within.txt", lockinfo(LIMIT / 2), "Timeout", "Second-60");
    assertEquals(201, lock.statusCode(), TestDav.text(lock));
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    assertEquals(204, dav.send("UNLOCK", "/within.txt", (byte[]) null, "Lock-Token", token).statusCode());
    assertEquals(207, dav.send("PROPPATCH", "/within.txt", proppatch(LIMIT / 2)).statusCode());
  }
}
