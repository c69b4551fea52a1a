package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Expect;
import io.vertx.core.buffer.Buffer;
import io.cairn.storage.metered.MeteredJournal;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Scoped dedup (design invariant 7) as every front inherits it from {@link FileService}: a chunk is
 * present for a caller only when a version in a namespace they can read names it, or they uploaded
 * it within the hour; otherwise it is missing to ask about, NOT_FOUND to read and missing to commit,
 * exactly like a chunk nobody has. Not run on its own: backends subclass {@link
 * FileServiceContract}.
 */
abstract class FileServiceDedupContract extends FileServiceTrashContract {

  private List<ChunkHash> hashesOf(Caller c, FilePath p) {
    return files.entry(c, p).blocklist().blocks().stream().map(BlockRef::hash).toList();
  }

  @Test
  void anotherUsersChunksAreMissingUnreadableAndUncommittable() throws IOException {
    FilePath mine = new FilePath(ALICE, "/private.txt");
    put(alice, mine, "alice's private words, long enough for a few chunks. ".repeat(12));
    Blocklist blocklist = files.entry(alice, mine).blocklist();
    List<ChunkHash> hashes = hashesOf(alice, mine);
    List<ChunkHash> distinct = hashes.stream().distinct().toList();
    assertTrue(distinct.size() > 1, "several chunks");

    assertEquals(distinct, files.missingChunks(bob, hashes), "every one missing for bob, in order, once");
    for (ChunkHash h : distinct) {
      refused(CairnException.Kind.NOT_FOUND, () -> files.readChunk(bob, h));
    }
    long before = lastJid(BOB);
    FileService.Commit stolen = files.commitBlocklist(bob, new FilePath(BOB, "/stolen.txt"), blocklist, Expect.ANY);
    assertFalse(stolen.committed());
    assertEquals(distinct, stolen.missing());
    assertEquals(before, lastJid(BOB), "nothing committed");
    assertNull(files.entry(bob, new FilePath(BOB, "/stolen.txt")));

    assertEquals(List.of(), files.missingChunks(alice, hashes), "present for their owner");
    byte[] first = files.readChunk(alice, distinct.getFirst()).getBytes();
    assertEquals(distinct.getFirst(), ChunkHash.sha256(first));
  }

  @Test
  void anUploadIsTheUploadersToCommitForAnHour() throws IOException {
    byte[] fresh = "fresh bytes nobody committed".getBytes(StandardCharsets.UTF_8);
    byte[] kept = "bytes alice commits in time".getBytes(StandardCharsets.UTF_8);
    ChunkHash freshHash = ChunkHash.sha256(fresh);
    ChunkHash keptHash = ChunkHash.sha256(kept);
    refused(CairnException.Kind.INVALID, () -> files.storeChunk(alice, freshHash, io.vertx.core.buffer.Buffer.buffer(kept)));
    files.storeChunk(alice, freshHash, io.vertx.core.buffer.Buffer.buffer(fresh));
    files.storeChunk(alice, keptHash, io.vertx.core.buffer.Buffer.buffer(kept));

    assertEquals(List.of(), files.missingChunks(alice, List.of(freshHash, keptHash)));
    assertArrayEquals(fresh, files.readChunk(alice, freshHash).getBytes());
    assertEquals(List.of(freshHash, keptHash), files.missingChunks(bob, List.of(freshHash, keptHash)));
    refused(CairnException.Kind.NOT_FOUND, () -> files.readChunk(bob, freshHash));
    Blocklist one = new Blocklist(List.of(new BlockRef(keptHash, kept.length)));
    assertTrue(files.commitBlocklist(alice, new FilePath(ALICE, "/kept.txt"), one, Expect.ANY).committed());

    clock.advance(Duration.ofMinutes(61));
    assertEquals(List.of(freshHash), files.missingChunks(alice, List.of(freshHash, keptHash)),
        "an hour on, only what a version names is still present");
    refused(CairnException.Kind.NOT_FOUND, () -> files.readChunk(alice, freshHash));
    Blocklist late = new Blocklist(List.of(new BlockRef(freshHash, fresh.length)));
    assertEquals(List.of(freshHash),
        files.commitBlocklist(alice, new FilePath(ALICE, "/late.txt"), late, Expect.ANY).missing());
    files.storeChunk(alice, freshHash, io.vertx.core.buffer.Buffer.buffer(fresh));
    assertEquals(List.of(), files.missingChunks(alice, List.of(freshHash)), "uploading again renews it");
  }

  @Test
  void aChunkInAShareIsPresentForEveryoneTheShareIsGrantedTo() throws IOException {
    FilePath shared = new FilePath(DOCS, "/handbook.txt");
    put(bob, shared, "the handbook everyone with docs may read. ".repeat(10));
    List<ChunkHash> hashes = hashesOf(bob, shared);
    assertEquals(List.of(), files.missingChunks(alice, hashes), "alice reads docs");
    assertEquals(hashes.getFirst(), ChunkHash.sha256(files.readChunk(alice, hashes.getFirst()).getBytes()));
    Caller stranger = new Caller("carol", "home:carol", -1);
    assertEquals(hashes.stream().distinct().toList(), files.missingChunks(stranger, hashes));

    List<ChunkHash> mixed = new ArrayList<>(hashes);
    ChunkHash nowhere = ChunkHash.sha256("in no store".getBytes(StandardCharsets.UTF_8));
    mixed.add(0, nowhere);
    assertEquals(List.of(nowhere), files.missingChunks(alice, mixed), "one that no store has");
  }

  @Test
  void anUploadOfAChunkRecordedAsDamagedHealsItWhileOrdinaryUploadsAskTheJournalNothingPerChunk() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      FileService service = meteredService(registry, workers, false);
      FilePath p = new FilePath(BOB, "/twice.txt");
      byte[] text = "words of a file long enough for a few chunks, uploaded twice. ".repeat(12).getBytes(StandardCharsets.UTF_8);
      service.put(bob, p, service.upload(new ByteArrayInputStream(text), text.length), Expect.ANY);
      service.put(bob, p, service.upload(new ByteArrayInputStream(text), text.length), Expect.ANY);
      List<ChunkHash> hashes = hashesOf(bob, p).stream().distinct().toList();
      assertTrue(hashes.size() > 2, "several chunks");
      assertEquals(List.of(), service.missingChunks(bob, hashes));
      assertEquals(0, journalCalls(registry, "damaged"), "no lookup per chunk stored or asked about");
      assertEquals(1, journalCalls(registry, "damaged_chunks"), "the records read once for them all");

      ChunkHash damaged = hashes.get(1);
      Buffer bytes = Await.result(chunks.get(damaged));
      Await.result(journal.markDamaged(Map.of(damaged, DamagedChunk.MISSING), clock.instant()));
      refused(CairnException.Kind.DAMAGED, () -> service.download(files.entry(bob, p), 0, text.length, new ByteArrayOutputStream()));
      assertEquals(List.of(damaged), service.missingChunks(bob, hashes), "asked for, though the store has it");
      service.storeChunk(bob, damaged, bytes);
      assertEquals(Map.of(), Await.result(journal.damaged(hashes)), "its upload cleared the record");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      service.download(files.entry(bob, p), 0, text.length, out);
      assertArrayEquals(text, out.toByteArray());

      Await.result(journal.markDamaged(Map.of(damaged, DamagedChunk.MISSING), clock.instant()));
      clock.advance(KnownDamage.REFRESH); // recorded elsewhere: known here at the next reading
      service.put(bob, new FilePath(BOB, "/again.txt"), service.upload(new ByteArrayInputStream(text), text.length), Expect.ANY);
      assertEquals(Map.of(), Await.result(journal.damaged(hashes)), "a WebDAV-style upload heals it too");
      assertEquals(2, journalCalls(registry, "damaged_chunks"));
    }
  }

  @Test
  void aServerThatAloneRecordsDamageReadsContentWithoutADamageLookupAndRefusesWhatItRecords() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      FileService service = meteredService(registry, workers, true);
      FilePath p = new FilePath(BOB, "/read-often.txt");
      byte[] text = "a file read again and again, whose chunks nobody damaged. ".repeat(12).getBytes(StandardCharsets.UTF_8);
      service.put(bob, p, service.upload(new ByteArrayInputStream(text), text.length), Expect.ANY);
      for (int i = 0; i < 3; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.download(files.entry(bob, p), 0, text.length, out);
        assertArrayEquals(text, out.toByteArray());
      }
      assertEquals(0, journalCalls(registry, "damaged"), "no damage lookup per read");
      assertEquals(1, journalCalls(registry, "damaged_chunks"), "the records read once");

      ChunkHash damaged = hashesOf(bob, p).get(1);
      Buffer bytes = Await.result(chunks.get(damaged));
      Await.result(journal.markDamaged(Map.of(damaged, DamagedChunk.MISSING), clock.instant()));
      service.damageRecordedHere(damaged); // as this node's scrub tells it
      refused(CairnException.Kind.DAMAGED, () -> service.download(files.entry(bob, p), 0, text.length, new ByteArrayOutputStream()));
      service.storeChunk(bob, damaged, bytes);
      assertEquals(Map.of(), Await.result(journal.damaged(List.of(damaged))), "its upload cleared the record");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      service.download(files.entry(bob, p), 0, text.length, out);
      assertArrayEquals(text, out.toByteArray(), "healed, it reads again");
      assertEquals(1, journalCalls(registry, "damaged_chunks"), "never read again: this server wrote every record");
    }
  }

  /** A service with small chunks over the metered journal, so a test can count the journal's calls. */
  private FileService meteredService(SimpleMeterRegistry registry, ExecutorService workers, boolean damageRecordedOnlyHere) {
    return new FileService(new MeteredJournal(journal, registry), chunks,
        ChunkSplitter.of(new Chunker(new ChunkerParams(64, 256, 1024))), QuotaPolicy.NONE, 2, 1, workers, clock, FileLimits.NONE,
        DigestType.DEFAULT, damageRecordedOnlyHere);
  }

  private static long journalCalls(SimpleMeterRegistry registry, String op) {
    return registry.find("cairn.journal.operation.duration").tag("op", op).timers().stream()
        .mapToLong(Timer::count).sum();
  }
}
