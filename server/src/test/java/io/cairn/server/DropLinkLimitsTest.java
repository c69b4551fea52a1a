package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.testkit.MutableClock;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What anonymous visitors of drop links may hold of a node (docs/operations.md, "Upload-only
 * links"): part bodies read at once, per link and overall (503 with Retry-After, the body unread);
 * uploads begun per minute, per link and per address (429 with Retry-After); and a revoked link's
 * unfinished uploads discarded, so their parts leave the owner's quota.
 */
class DropLinkLimitsTest {
  @TempDir static Path dir;
  static TestServer s;
  static final MutableClock CLOCK = new MutableClock(Instant.now());
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String CSRF = "X-Cairn-CSRF";

  @BeforeAll
  static void start() throws Exception {
    s = TestServer.start(dir.resolve("data"), Map.of("quota", "1M", "http.body.min.rate", "0",
        "drop.parts.in.flight", "3", "drop.parts.in.flight.per.link", "2",
        "drop.begins.per.minute.per.link", "3", "drop.begins.per.minute.per.address", "5"), CLOCK);
    s.server.accounts().addUser("alice", "alice-password", false);
    assertEquals(201, s.send(ALICE, "MKCOL", "/inbox", null).statusCode());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  /** Each test begins in a minute of its own: begins counted by the others are forgotten. */
  @BeforeEach
  void aNewMinute() {
    CLOCK.advance(Duration.ofSeconds(61));
  }

  static JsonObject share() throws Exception {
    HttpResponse<byte[]> r = s.send(ALICE, "POST", "/.cairn/api/v1/shares",
        new JsonObject().put("path", "/inbox").put("mode", "drop").encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), text(r));
    return new JsonObject(text(r));
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> begin(String url) throws Exception {
    return s.send(null, "POST", url + "/drop", new byte[0], CSRF, "x");
  }

  static String upload(String url) throws Exception {
    HttpResponse<byte[]> r = begin(url);
    assertEquals(201, r.statusCode(), text(r));
    return new JsonObject(text(r)).getString("upload");
  }

  static HttpResponse<byte[]> part(String url, String id, int n, byte[] body) throws Exception {
    return s.send(null, "PUT", url + "/drop/" + id + "/part/" + n, body, CSRF, "x");
  }

  /**
   * A part whose body is announced and not sent: it asks {@code Expect: 100-continue}, and the
   * server's {@code 100 Continue} shows that it holds the part's slot and waits for the body.
   */
  static final class HeldPart implements AutoCloseable {
    static final int LENGTH = 1000;
    final Socket socket;

    HeldPart(String url, String id, int n) throws IOException {
      socket = new Socket("127.0.0.1", s.port());
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + url + "/drop/" + id + "/part/" + n + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + CSRF + ": x\r\n"
          + "Content-Length: " + LENGTH + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertEquals(100, status(), "the server reads the part's body");
      socket.getInputStream().readNBytes(13); // the rest of "HTTP/1.1 100 Continue\r\n\r\n"
    }

    private int status() throws IOException {
      String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(head.substring(9, 12));
    }

    /** Sends the body; the status answered. */
    int finish() throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(new byte[LENGTH]);
      out.flush();
      return status();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void partsReadAtOnceAreCappedPerLinkAndOverallWith503AndRetryAfter() throws Exception {
    String a = share().getString("url");
    String b = share().getString("url");
    String idA = upload(a);
    String idB = upload(b);
    List<HeldPart> held = new ArrayList<>();
    try {
      held.add(new HeldPart(a, idA, 0));
      held.add(new HeldPart(a, idA, 1));
      HttpResponse<byte[]> busy = part(a, idA, 9, "probe".getBytes());
      assertEquals(503, busy.statusCode(), text(busy));
      assertTrue(busy.headers().firstValue("Retry-After").isPresent(), "503 says when to come back");
      assertTrue(text(busy).contains("this link"), text(busy));
      assertEquals(201, part(b, idB, 0, "b".getBytes()).statusCode(), "another link has room while the node has");

      held.add(new HeldPart(b, idB, 1));
      HttpResponse<byte[]> full = part(b, idB, 9, "probe".getBytes());
      assertEquals(503, full.statusCode(), text(full));
      assertTrue(text(full).contains("drop links on this server"), "the node's cap, not the link's: " + text(full));
      for (HeldPart h : held) {
        assertEquals(201, h.finish(), "a part whose body was being read is stored");
      }
    } finally {
      for (HeldPart h : held) {
        h.close();
      }
    }
    assertEquals(201, part(a, idA, 2, "again".getBytes()).statusCode(), "the slots came back");
  }

  @Test
  void beginsArePerMinutePerLinkAndPerAddressWith429AndRetryAfter() throws Exception {
    String d = share().getString("url");
    for (int i = 0; i < 3; i++) {
      upload(d);
    }
    HttpResponse<byte[]> refused = begin(d);
    assertEquals(429, refused.statusCode(), text(refused));
    long wait = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(wait >= 1 && wait <= 60, "Retry-After within the minute: " + wait);

    String e = share().getString("url");
    upload(e);
    upload(e); // the address's fifth in this minute
    assertEquals(429, begin(e).statusCode(), "the address has begun its most, through any link");

    CLOCK.advance(Duration.ofSeconds(wait));
    upload(d);
    upload(e);
  }

  @Test
  void revokingALinkDiscardsItsUnfinishedUploadsAndTheirPartsLeaveTheQuota() throws Exception {
    JsonObject first = share();
    String second = share().getString("url");
    byte[] big = new byte[700 << 10];
    String staged = upload(first.getString("url"));
    assertEquals(201, part(first.getString("url"), staged, 0, big).statusCode());
    String other = upload(second);
    assertEquals(507, part(second, other, 0, big).statusCode(), "the first link's parts take the owner's quota");

    assertEquals(200, s.send(ALICE, "DELETE", "/.cairn/api/v1/shares/" + first.getString("id"), null).statusCode());
    assertEquals(201, part(second, other, 0, big).statusCode(), "the revoked link's parts are gone from the quota");
  }
}
