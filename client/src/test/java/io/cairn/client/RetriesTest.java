package io.cairn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetriesTest {
  static final Clock NOON = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertEquals(Duration.ofSeconds(5), Retries.retryAfter("5", NOON));
    assertEquals(Duration.ofSeconds(90), Retries.retryAfter("Fri, 04 Dec 2026 12:01:30 GMT", NOON));
    assertEquals(Duration.ZERO, Retries.retryAfter("Fri, 04 Dec 2026 11:00:00 GMT", NOON), "a date passed: now");
    assertNull(Retries.retryAfter(null, NOON));
    assertNull(Retries.retryAfter("soon", NOON), "unreadable: the client's own backoff");
  }

  @Test
  void aServerUnavailableLongerThanTheRunWaitsEndsItWithOneReason() {
    List<String> said = new ArrayList<>();
    Retries never = new Retries(Duration.ZERO, NOON, said::add);
    Retries.GaveUp e = assertThrows(Retries.GaveUp.class,
        () -> never.await(new Retries.Attempts(Retries.Safety.IDEMPOTENT), "503 transient: the journal is unavailable", "5"));
    assertEquals("the server stayed unavailable (503 transient: the journal is unavailable); nothing is half-done: run again later",
        e.getMessage());
    assertEquals(List.of(), said, "nothing waited for, nothing said");
  }

  @Test
  void aWaitSaysWhyAndHonoursRetryAfter() throws Exception {
    List<String> said = new ArrayList<>();
    Retries retries = new Retries(Duration.ofSeconds(30), NOON, said::add);
    retries.await(new Retries.Attempts(Retries.Safety.IDEMPOTENT), "429 too_many_requests: too many failed logins", "0");
    assertEquals(List.of("waiting 0 s for the server: 429 too_many_requests: too many failed logins"), said);
    assertTrue(retries.waiting == null, "no longer waiting");
  }

  @Test
  void aLandedCommitIsFoundInHistoryAfterItsBaseOnly() {
    Map<String, Object> theirs = Map.of("path", "/a.txt", "kind", "file", "hash", "t", "version", 9, "size", 1, "mtime", 1);
    Map<String, Object> mine = Map.of("path", "/a.txt", "kind", "file", "hash", "m", "version", 8, "size", 1, "mtime", 1);
    Map<String, Object> older = Map.of("path", "/a.txt", "kind", "file", "hash", "m", "version", 3, "size", 1, "mtime", 1);
    Map<String, Object> deleted = Map.of("path", "/a.txt", "kind", "deleted", "version", 5);
    assertEquals(8L, ((Number) OwnCommits.landed(List.of(theirs, mine), "/a.txt", "m", 4L).get("version")).longValue());
    assertNull(OwnCommits.landed(List.of(theirs, older), "/a.txt", "m", 4L), "older than the base: not this commit");
    assertNull(OwnCommits.landed(List.of(theirs, deleted, older), "/a.txt", "m", null),
        "a new file: content from before the last delete is not this commit");
    assertEquals(8L, ((Number) OwnCommits.landed(List.of(theirs, mine, deleted), "/a.txt", "m", null).get("version")).longValue());
  }
}
