package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.CONFLICT;
import static io.cairn.core.CairnException.Kind.TRANSIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.Change.Delete;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.Change.Move;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The start-up maintenance part of the {@link Journal} contract: the scan for non-ASCII paths and
 * the record of maintenance steps done. Not run on its own: backends subclass {@link
 * JournalContractTest}, which extends this class. The store may be shared with other tests, so
 * each test looks only at its own namespaces and step names.
 */
abstract class JournalMaintenanceContract extends JournalTreeContract {

  /** Every non-ASCII path of {@code namespace}, read from a cursor just before it in pages of 2. */
  private List<String> nonAsciiPathsOf(String namespace) {
    List<String> out = new ArrayList<>();
    NamespacedPath after = new NamespacedPath(namespace, "");
    while (true) {
      List<NamespacedPath> page = await(journal.nonAsciiPaths(after, 2));
      for (NamespacedPath p : page) {
        if (!p.ns().equals(namespace)) {
          return out;
        }
        out.add(p.path());
      }
      if (page.size() < 2) {
        return out;
      }
      after = page.getLast();
    }
  }

  @Test
  void nonAsciiPathsListLiveNonAsciiPathsInCodePointOrder() {
    commit(new Mkdir("/ascii"));
    commit(put("/ascii/plain.txt", 1));
    commit(new Mkdir("/caf\u00e9"));
    commit(put("/caf\u00e9/a", 1));
    commit(put("/cafe\u0301", 1));
    commit(put("/\ud83d\ude00", 1));
    commit(put("/\ufffd", 1));
    commit(put("/ascii/\u00fc", 1));
    commit(put("/gone-\u00e9", 1));
    commit(new Delete("/gone-\u00e9", Expect.ANY));
    commit(put("/to-move-\u00e9", 1));
    commit(new Move("/to-move-\u00e9", "/moved", false, Expect.ANY));
    assertEquals(
        List.of(
            "/ascii/\u00fc", "/cafe\u0301", "/caf\u00e9", "/caf\u00e9/a", "/\ufffd", "/\ud83d\ude00"),
        nonAsciiPathsOf(ns));
  }

  @Test
  void nonAsciiPathsSpanNamespacesAndStartAfterTheCursor() {
    String second = ns + "-b";
    await(journal.createNamespace(second));
    commit(put("/\u00e9", 1));
    await(journal.commit(second, put("/\u00e8", 1), "alice"));
    await(journal.commit(second, put("/\u00e9", 1), "alice"));
    List<NamespacedPath> page = await(journal.nonAsciiPaths(new NamespacedPath(ns, ""), 3));
    assertEquals(
        List.of(
            new NamespacedPath(ns, "/\u00e9"),
            new NamespacedPath(second, "/\u00e8"),
            new NamespacedPath(second, "/\u00e9")),
        page);
    assertEquals(
        List.of(new NamespacedPath(second, "/\u00e9")),
        await(journal.nonAsciiPaths(new NamespacedPath(second, "/\u00e8"), 1)));
    assertEquals(List.of(), await(journal.nonAsciiPaths(null, 0)));
  }

  @Test
  void maintenanceStepsAreRecordedOnceAndSurviveAReopen() throws Exception {
    String step = "test-" + UUID.randomUUID();
    assertFalse(await(journal.maintenanceDone(step)));
    await(journal.recordMaintenanceDone(step));
    await(journal.recordMaintenanceDone(step));
    assertTrue(await(journal.maintenanceDone(step)));
    assertFalse(await(journal.maintenanceDone(step + "-other")));
    journal.close();
    journal = track(reopen(clock));
    assertTrue(await(journal.maintenanceDone(step)));
    assertFails(CONFLICT, journal.recordMaintenanceDone(""));
    assertFails(CONFLICT, journal.recordMaintenanceDone(null));
  }

  @Test
  void damagedChunksKeepTheirFirstRecordUntilClearedAndSurviveAReopen() throws Exception {
    io.cairn.core.ChunkHash a = io.cairn.core.ChunkHash.sha256(UUID.randomUUID().toString().getBytes());
    io.cairn.core.ChunkHash b = io.cairn.core.ChunkHash.sha256(UUID.randomUUID().toString().getBytes());
    java.time.Instant first = java.time.Instant.ofEpochMilli(1_700_000_000_000L);
    assertEquals(java.util.Map.of(), await(journal.damaged(List.of(a, b))));
    await(journal.markDamaged(java.util.Map.of(a, "missing"), first));
    await(journal.markDamaged(java.util.Map.of(a, "its bytes hash to 00", b, "missing"), first.plusSeconds(60)));
    journal.close();
    journal = track(reopen(clock));
    java.util.Map<io.cairn.core.ChunkHash, DamagedChunk> got = await(journal.damaged(List.of(a, b, a)));
    assertEquals(new DamagedChunk(a, "missing", first), got.get(a), "the first record stays");
    assertEquals(new DamagedChunk(b, "missing", first.plusSeconds(60)), got.get(b));
    assertEquals(java.util.Map.of(a, new DamagedChunk(a, "missing", first)), await(journal.damaged(List.of(a, a))),
        "one chunk asked about (twice), as a small file's read asks");
    io.cairn.core.ChunkHash low = a.hex().compareTo(b.hex()) < 0 ? a : b;
    List<DamagedChunk> listed = await(journal.damagedChunks(null, 100_000));
    assertTrue(listed.stream().anyMatch(d -> d.hash().equals(a)) && listed.stream().anyMatch(d -> d.hash().equals(b)));
    assertTrue(await(journal.damagedChunks(low, 100_000)).stream().noneMatch(d -> d.hash().equals(low)), "strictly after");
    await(journal.clearDamaged(List.of(a)));
    assertEquals(java.util.Set.of(b), await(journal.damaged(List.of(a, b))).keySet());
    assertEquals(java.util.Map.of(), await(journal.damaged(List.of(a))));
    assertEquals(java.util.Set.of(b), await(journal.damaged(List.of(b))).keySet());
    await(journal.clearDamaged(List.of(a, b)));
    assertEquals(java.util.Map.of(), await(journal.damaged(List.of(a, b))));
    assertFails(CONFLICT, journal.markDamaged(java.util.Map.of(a, ""), first));
  }

  @Test
  void maintenanceValuesAreReplacedRemovedAndSurviveAReopen() throws Exception {
    String key = "test-" + UUID.randomUUID();
    assertEquals(null, await(journal.maintenanceValue(key)));
    await(journal.setMaintenanceValue(key, "one"));
    await(journal.setMaintenanceValue(key, "two"));
    journal.close();
    journal = track(reopen(clock));
    assertEquals("two", await(journal.maintenanceValue(key)));
    await(journal.setMaintenanceValue(key, null));
    assertEquals(null, await(journal.maintenanceValue(key)));
    assertFails(CONFLICT, journal.maintenanceValue(""));
    assertFails(CONFLICT, journal.setMaintenanceValue(null, "x"));
  }

  /** A chunk name no other test uses. */
  private static io.cairn.core.ChunkHash someChunk() {
    return io.cairn.core.ChunkHash.sha256(UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aChunkInABatchOfDeletionsIsSuspectWhileItIsOpenAndForUploadsThatNotedAnEarlierEpoch() {
    ChunkDeletions d = journal.chunkDeletions();
    var x = someChunk();
    var y = someChunk();
    var untouched = someChunk();
    long before = await(d.epoch());
    long batch = await(d.announce(List.of(x, y), java.time.Instant.now()));
    assertTrue(batch > before, "announcing raises the epoch");
    long during = await(d.epoch());
    assertEquals(java.util.Set.of(x, y), await(d.deletingSince(before, List.of(x, y, untouched))));
    assertEquals(java.util.Set.of(x), await(d.deletingSince(during, List.of(x, untouched))),
        "open: suspect whatever epoch the upload noted");
    assertEquals(java.util.Set.of(x), await(d.deletingSince(Long.MAX_VALUE, List.of(x))));
    assertEquals(java.util.Set.of(x, y), await(d.deleting(List.of(x, y, untouched), java.time.Instant.now().minusSeconds(3600))));
    assertEquals(java.util.Set.of(), await(d.deleting(List.of(x, y), java.time.Instant.now().plusSeconds(3600))),
        "announced before the limit: abandoned");
    await(d.end(batch));
    long after = await(d.epoch());
    assertTrue(after > during, "ending raises the epoch");
    assertEquals(java.util.Set.of(y), await(d.deletingSince(during, List.of(y, untouched))),
        "ended after the upload noted its epoch: still suspect");
    assertEquals(java.util.Set.of(), await(d.deletingSince(after, List.of(x, y))),
        "ended before the upload began: it found the chunk deleted, or stored it again");
    assertEquals(java.util.Set.of(), await(d.deletingSince(Long.MAX_VALUE, List.of(x, y))), "no batch open");
    assertEquals(java.util.Set.of(), await(d.deleting(List.of(x, y), java.time.Instant.EPOCH)));
    await(d.end(batch)); // twice: no error
    assertEquals(java.util.Set.of(), await(d.deletingSince(Long.MAX_VALUE, List.of())));
  }

  @Test
  void aPutCheckedAgainstTheRecordOfDeletionsIsRefusedWhileABatchSinceItsEpochNamesItsChunks() {
    ChunkDeletions d = journal.chunkDeletions();
    Change.Put put = put("/checked", 5);
    var chunk = put.blocklist().blocks().getFirst().hash();
    long before = await(d.epoch());
    long batch = await(d.announce(List.of(chunk), clock.instant()));
    var refused = journal.commit(ns, put.keptSince(before), "alice");
    assertFails(TRANSIENT, refused);
    assertTrue(ChunkDeletions.isDeletedUnder(refused.cause()),
        "marked as the record's refusal, the only TRANSIENT a commit may send again");
    assertFails(TRANSIENT, journal.commit(ns, put.keptSince(await(d.epoch())), "alice"));
    await(d.end(batch));
    assertFails(TRANSIENT, journal.commit(ns, put.keptSince(before), "alice"));
    assertEquals(null, entry("/checked"), "refused: nothing written");
    assertEquals(0, info().lastJid(), "and no jid used");
    commit(put.keptSince(await(d.epoch())));
    assertEquals(5, entry("/checked").size(), "a batch that ended before the epoch is no suspect");
    long abandoned = await(d.announce(List.of(chunk), clock.instant().minus(ChunkDeletions.ABANDONED_AFTER).minusSeconds(1)));
    commit(put("/abandoned", 5, "/checked@5", Expect.ANY).keptSince(await(d.epoch())));
    assertEquals(5, entry("/abandoned").size(), "a batch left open past ABANDONED_AFTER is no suspect");
    commit(put("/unchecked", 5, "/checked@5", Expect.ANY));
    commit(put("/other", 3).keptSince(before));
    assertEquals(3, entry("/other").size(), "chunks in no batch");
    await(d.end(abandoned));
  }

  @Test
  void forgetEndsAbandonedBatchesAndDropsOldEndedOnes() {
    ChunkDeletions d = journal.chunkDeletions();
    var abandoned = someChunk();
    var ended = someChunk();
    var recent = someChunk();
    java.time.Instant longAgo = java.time.Instant.parse("2001-01-01T00:00:00Z");
    await(d.announce(List.of(abandoned), longAgo.plusSeconds(45)));
    await(d.end(await(d.announce(List.of(ended), longAgo))));
    long recentBatch = await(d.announce(List.of(recent), longAgo.plusSeconds(3600)));
    long before = await(d.epoch());
    assertTrue(await(d.forget(longAgo.plusSeconds(60), longAgo.plusSeconds(30))) >= 1);
    assertEquals(java.util.Set.of(abandoned), await(d.deletingSince(before, List.of(abandoned, ended))),
        "ended now, by the housekeeping: suspect for uploads that began before; the old ended batch is forgotten");
    assertEquals(java.util.Set.of(recent), await(d.deletingSince(Long.MAX_VALUE, List.of(abandoned, recent))),
        "a batch announced after the limit stays open");
    await(d.end(recentBatch));
  }
}
