package io.cairn.server.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Change;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.storage.testkit.MutableClock;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention pass over a real journal: what it records as expired, per life of a path. */
class RetentionPassTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
  private static final RetentionPolicy TWO_DAYS_OF_TRASH_ONE_VERSION =
      new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 1, Duration.ofDays(2));
  @TempDir Path dir;
  private SqliteJournal journal;

  @BeforeEach
  void open() throws Exception {
    journal = SqliteJournal.open(dir.resolve("journal.db"), clock);
    await(journal.createNamespace("home:alice"));
    await(journal.createNamespace("uploads:alice"));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void maxVersionsExpiresEarlierVersionsButNeverTheLiveOne() throws Exception {
    long v1 = put("home:alice", "/a", "1");
    long v2 = put("home:alice", "/a", "2");
    long v3 = put("home:alice", "/a", "3");
    RetentionPass.Summary keepAll = pass(RetentionPolicy.defaults());
    assertEquals(0, keepAll.versionsExpired());
    assertEquals(2, keepAll.versionBytes(), "versions 1 and 2, of a byte each, are history; 3 is live");
    RetentionPass.Summary s = pass(TWO_DAYS_OF_TRASH_ONE_VERSION);
    assertEquals(2, s.versionsExpired());
    assertEquals(0, s.versionBytes(), "what expired costs nothing any more");
    assertEquals(Set.of(v1, v2), expired("home:alice", v1, v2, v3));
    assertEquals(0, pass(TWO_DAYS_OF_TRASH_ONE_VERSION).versionsExpired(), "a second run records nothing new");
  }

  @Test
  void aDeletedFileExpiresWithItsTrashWhileTheFileNowAtItsPathStays() throws Exception {
    RetentionPolicy keepAll = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 0,
        Duration.ofDays(2));
    long old1 = put("home:alice", "/d", "old 1");
    long old2 = put("home:alice", "/d", "old 2");
    long deleted = commit("home:alice", new Change.Delete("/d", Expect.ANY));
    long again = put("home:alice", "/d", "new");
    RetentionPass.Summary first = pass(keepAll);
    assertEquals(0, first.trashExpired(), "within the two days of trash");
    assertEquals(5, first.trashBytes(), "the deleted file's five bytes");
    assertEquals(Set.of(), expired("home:alice", old1, old2, deleted, again));
    clock.advance(Duration.ofDays(2));
    RetentionPass.Summary s = pass(keepAll);
    assertEquals(1, s.trashExpired());
    assertEquals(2, s.versionsExpired());
    assertEquals(Set.of(old1, old2, deleted), expired("home:alice", old1, old2, deleted, again));
  }

  @Test
  void aFileMovedAwayKeepsItsHistoryAtTheOldPath() throws Exception {
    long before = put("home:alice", "/m", "moved content");
    commit("home:alice", new Change.Move("/m", "/n", false, Expect.ANY));
    clock.advance(Duration.ofDays(10));
    put("home:alice", "/m", "another file at the old path");
    commit("home:alice", new Change.Delete("/m", Expect.ANY));
    clock.advance(Duration.ofDays(3));
    pass(new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ZERO, 0, Duration.ofDays(2)));
    assertEquals(Set.of(), expired("home:alice", before), "its life at /m ended with the move, not the delete");
  }

  @Test
  void theTrashOfStagedUploadsExpiresAtOnce() throws Exception {
    long part = put("uploads:alice", "/upload-1", "part");
    long removed = commit("uploads:alice", new Change.Delete("/upload-1", Expect.ANY));
    RetentionPass.Summary s = pass(RetentionPolicy.defaults());
    assertEquals(1, s.trashExpired());
    assertEquals(Set.of(part, removed), expired("uploads:alice", part, removed));
  }

  private RetentionPass.Summary pass(RetentionPolicy policy) {
    return new RetentionPass(journal, policy, clock).run(() -> true);
  }

  private long put(String ns, String path, String content) throws Exception {
    ChunkHash h = ChunkHash.sha256(content.getBytes(StandardCharsets.UTF_8));
    Blocklist blocks = new Blocklist(List.of(new BlockRef(h, content.length())));
    return commit(ns, new Change.Put(path, content.length(), h.hex(), blocks, null, Expect.ANY));
  }

  private long commit(String ns, Change change) throws Exception {
    JournalRow row = await(journal.commit(ns, change, "alice"));
    clock.advance(Duration.ofMinutes(1));
    return row.jid();
  }

  private Set<Long> expired(String ns, Long... jids) throws Exception {
    return new TreeSet<>(await(journal.expired(ns, List.of(jids))).keySet());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aNamespaceFollowsItsOwnSettingsOverTheServersPolicy() throws Exception {
    long v1 = put("home:alice", "/a", "1");
    long v2 = put("home:alice", "/a", "2");
    long s1 = put("uploads:alice", "/a", "1");
    put("uploads:alice", "/a", "2");
    new NamespaceRetention(journal, RetentionPolicy.defaults()).set("home:alice", java.util.Map.of(
        "retention.max.versions", "1"));
    assertEquals(1, pass(RetentionPolicy.defaults()).versionsExpired(), "only home:alice keeps one version");
    assertEquals(Set.of(v1), expired("home:alice", v1, v2));
    assertEquals(Set.of(), expired("uploads:alice", s1));
  }
}
