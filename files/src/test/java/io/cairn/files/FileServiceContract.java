package io.cairn.files;

import io.cairn.storage.Entry;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every front door inherits from {@link FileService}, run against each pair of backends
 * (SQLite + local disk, PostgreSQL + S3): a write outside the caller's view is refused, a
 * read-only grant refuses every write, quota holds on every path that adds bytes (COPY and restore
 * included), and a commit naming a missing chunk commits nothing. The trash, history across
 * renames and scoped dedup are in the classes this one extends.
 */
abstract class FileServiceContract extends FileServiceDedupContract {
  @Test
  void aCallerSeesTheirHomeAtTheRootAndEachShareAsAFolder() throws IOException {
    put(bob, new FilePath(DOCS, "/readme.txt"), "shared words");
    FilePath located = alice.locate("/docs/readme.txt");
    assertEquals(new FilePath(DOCS, "/readme.txt"), located);
    assertEquals("shared words", read(alice, located));
    assertEquals("/docs/readme.txt", alice.viewPath(located));
    assertEquals(new FilePath(ALICE, "/other/x"), alice.locate("/other/x"), "a folder with no grant is in the home");
    assertNull(bob.viewPath(new FilePath(TEAM, "/")), "outside bob's view");
  }

  @Test
  void aWriteOutsideTheCallersViewIsRefusedAndRevealsNothing() throws IOException {
    put(bob, new FilePath(BOB, "/secret.txt"), "bob's");
    long before = lastJid(BOB);
    FilePath secret = new FilePath(BOB, "/secret.txt");
    assertNull(files.entry(alice, secret), "a read outside the view finds nothing");
    refused(CairnException.Kind.NOT_FOUND, () -> files.children(alice, new FilePath(BOB, "/"), null, 10));
    refused(CairnException.Kind.NOT_FOUND, () -> files.listing(alice, new FilePath(BOB, "/"), null, 10));
    refused(CairnException.Kind.NOT_FOUND, () -> files.properties(alice, secret));
    refused(CairnException.Kind.NOT_FOUND, () -> files.history(alice, secret, 10));
    refused(CairnException.Kind.NOT_FOUND, () -> put(alice, secret, "alice's"));
    refused(CairnException.Kind.NOT_FOUND, () -> files.delete(alice, secret, Expect.ANY));
    refused(CairnException.Kind.NOT_FOUND, () -> files.mkdir(alice, new FilePath(BOB, "/d")));
    refused(CairnException.Kind.NOT_FOUND, () -> files.move(alice, secret, new FilePath(BOB, "/moved"), true, Expect.ANY));
    refused(CairnException.Kind.NOT_FOUND, () -> files.copy(alice, secret, new FilePath(BOB, "/copied"), true, true));
    refused(CairnException.Kind.NOT_FOUND, () -> files.patchProperties(alice, secret,
        List.of(new PropertyChange(new PropertyName("urn:x", "p"), "v"))));
    assertEquals(before, lastJid(BOB), "nothing was committed in bob's home");
    assertEquals("bob's", read(bob, secret));
  }

  @Test
  void aListingShowsTheChildrenWithoutTheirBlocklists() throws IOException {
    put(bob, new FilePath(BOB, "/a.txt"), "some words");
    files.mkdir(bob, new FilePath(BOB, "/b"));
    FilePath root = new FilePath(BOB, "/");
    List<Entry> children = files.children(bob, root, null, 10);
    assertEquals(List.of("/a.txt", "/b"), children.stream().map(Entry::path).toList());
    assertEquals(children.stream().map(Entry::listed).toList(), files.listing(bob, root, null, 10));
    assertEquals(10, files.listing(bob, root, null, 1).getFirst().size());
  }

  @Test
  void aReadOnlyGrantRefusesEveryWrite() throws IOException {
    FilePath doc = new FilePath(DOCS, "/plan.txt");
    put(bob, doc, "the plan");
    long before = lastJid(DOCS);
    assertEquals("the plan", read(alice, doc), "alice reads the share");
    refused(CairnException.Kind.FORBIDDEN, () -> put(alice, doc, "changed"));
    refused(CairnException.Kind.FORBIDDEN, () -> files.checkRoom(alice, doc, 0, 1));
    refused(CairnException.Kind.FORBIDDEN, () -> files.commitBlocklist(alice, doc, Blocklist.EMPTY, Expect.ANY));
    refused(CairnException.Kind.FORBIDDEN, () -> files.createEmptyFile(alice, new FilePath(DOCS, "/new"), Expect.ABSENT));
    refused(CairnException.Kind.FORBIDDEN, () -> files.mkdir(alice, new FilePath(DOCS, "/dir")));
    refused(CairnException.Kind.FORBIDDEN, () -> files.delete(alice, doc, Expect.ANY));
    refused(CairnException.Kind.FORBIDDEN, () -> files.move(alice, doc, new FilePath(DOCS, "/renamed"), true, Expect.ANY));
    refused(CairnException.Kind.FORBIDDEN, () -> files.copy(alice, doc, new FilePath(DOCS, "/copy"), true, true));
    refused(CairnException.Kind.FORBIDDEN, () -> files.restore(alice, doc, before, Expect.ANY));
    refused(CairnException.Kind.FORBIDDEN, () -> files.patchProperties(alice, doc,
        List.of(new PropertyChange(new PropertyName("urn:x", "p"), "v"))));
    refused(CairnException.Kind.FORBIDDEN, () -> files.copy(alice, doc, new FilePath(ALICE, "/mine"), true, true));
    assertEquals(before, lastJid(DOCS), "nothing was committed in the read-only share");
    assertEquals("the plan", read(bob, doc));
    put(alice, new FilePath(TEAM, "/ok.txt"), "a read-write share takes writes");
  }

  @Test
  void quotaHoldsOnEveryPathThatAddsBytes() throws IOException {
    FilePath a = new FilePath(ALICE, "/a.bin");
    JournalRow first = put(alice, a, "x".repeat(600));
    long before = lastJid(ALICE);
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> put(alice, new FilePath(ALICE, "/b.bin"), "y".repeat(500)));
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> files.checkRoom(alice, new FilePath(ALICE, "/b.bin"), 0, 500));
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> files.copy(alice, a, new FilePath(ALICE, "/a-copy.bin"), true, true));
    files.mkdir(alice, new FilePath(ALICE, "/dir"));
    files.mkdir(alice, new FilePath(ALICE, "/dir/sub"));
    put(alice, new FilePath(ALICE, "/dir/sub/f.bin"), "f".repeat(300));
    before = lastJid(ALICE);
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> files.copy(alice, new FilePath(ALICE, "/dir"),
        new FilePath(ALICE, "/dir2"), true, true));
    files.copy(alice, new FilePath(ALICE, "/dir"), new FilePath(ALICE, "/dir3"), true, false);
    before = lastJid(ALICE);
    Blocklist stored = files.entry(alice, a).blocklist();
    refused(CairnException.Kind.INSUFFICIENT_STORAGE,
        () -> files.commitBlocklist(alice, new FilePath(ALICE, "/same.bin"), stored, Expect.ANY));
    assertEquals(before, lastJid(ALICE), "no refused write committed");

    // Overwriting counts the replaced bytes as freed; restoring an older version is a write too.
    files.delete(alice, new FilePath(ALICE, "/dir"), Expect.ANY);
    put(alice, a, "s".repeat(100));
    put(alice, new FilePath(ALICE, "/b.bin"), "b".repeat(800));
    refused(CairnException.Kind.INSUFFICIENT_STORAGE, () -> files.restore(alice, a, first.jid(), Expect.ANY));
    files.delete(alice, new FilePath(ALICE, "/b.bin"), Expect.ANY);
    files.restore(alice, a, first.jid(), Expect.ANY);
    assertEquals("x".repeat(600), read(alice, a), "the restored version is the current one");
    assertTrue(files.history(alice, a, 10).size() >= 3, "history keeps every step");
  }

  @Test
  void aCommitNamingAMissingChunkCommitsNothing() throws IOException {
    byte[] present = "present chunk".getBytes(StandardCharsets.UTF_8);
    byte[] absent = "absent chunk".getBytes(StandardCharsets.UTF_8);
    ChunkHash have = ChunkHash.sha256(present);
    ChunkHash lack = ChunkHash.sha256(absent);
    files.storeChunk(alice, have, io.vertx.core.buffer.Buffer.buffer(present));
    Blocklist list = new Blocklist(List.of(
        new BlockRef(have, present.length), new BlockRef(lack, absent.length), new BlockRef(lack, absent.length)));
    FilePath p = new FilePath(ALICE, "/delta.bin");
    long before = lastJid(ALICE);

    FileService.Commit first = files.commitBlocklist(alice, p, list, Expect.ANY);
    assertFalse(first.committed());
    assertEquals(List.of(lack), first.missing(), "each missing chunk named once");
    assertNull(files.entry(alice, p));
    assertEquals(before, lastJid(ALICE));

    files.storeChunk(alice, lack, io.vertx.core.buffer.Buffer.buffer(absent));
    FileService.Commit second = files.commitBlocklist(alice, p, list, Expect.ANY);
    assertTrue(second.committed());
    assertEquals("present chunkabsent chunkabsent chunk", read(alice, p));
    assertEquals("alice", second.row().author(), "the caller is the author");
  }

  private JournalRow put(Caller c, FilePath p, byte[] bytes, Instant mtime, Expect expect) throws IOException {
    return files.put(c, p, files.upload(new ByteArrayInputStream(bytes), bytes.length), mtime, expect);
  }

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  @Test
  void anUploadOfTheCurrentContentIsNoNewVersion() throws Exception {
    FilePath p = new FilePath(ALICE, "/same.txt");
    byte[] same = "same words".getBytes(StandardCharsets.UTF_8);
    JournalRow first = put(alice, p, same, null, Expect.ANY);
    long used = files.usage(alice, ALICE).usedBytes();
    JournalRow again = put(alice, p, same, null, Expect.ANY);
    assertEquals(first, again, "the answer is the row that wrote the current content");
    assertEquals(first.jid(), lastJid(ALICE), "no journal row");
    assertEquals(1, files.history(alice, p, 10).size());
    assertEquals(used, files.usage(alice, ALICE).usedBytes());
    refused(CairnException.Kind.PRECONDITION_FAILED, () -> put(alice, p, same, null, Expect.version(first.jid() + 7)));
    assertEquals(first, put(alice, p, same, null, Expect.version(first.jid())), "a met expectation is no change either");
    Blocklist blocks = files.entry(alice, p).blocklist();
    assertEquals(first, files.commitBlocklist(alice, p, blocks, Expect.ANY).row(), "nor is a blocklist of it");

    // The row that last wrote an entry may be a MOVE or a COPY of a folder above it.
    FilePath moved = new FilePath(ALICE, "/moved.txt");
    JournalRow move = files.move(alice, p, moved, false, Expect.ANY);
    assertEquals(move, put(alice, moved, same, null, Expect.ANY));
    files.mkdir(alice, new FilePath(ALICE, "/d"));
    put(alice, new FilePath(ALICE, "/d/f.txt"), same, null, Expect.ANY);
    JournalRow copy = files.copy(alice, new FilePath(ALICE, "/d"), new FilePath(ALICE, "/e"), false, true);
    assertEquals(copy, put(alice, new FilePath(ALICE, "/e/f.txt"), same, null, Expect.ANY));
    assertEquals(copy.jid(), lastJid(ALICE));

    JournalRow changed = put(alice, moved, "other words".getBytes(StandardCharsets.UTF_8), null, Expect.ANY);
    assertEquals(copy.jid() + 1, changed.jid(), "other content is a new version");
  }

  @Test
  void anMtimeOnlyChangeIsOneRowNamingTheSameContent() throws Exception {
    FilePath p = new FilePath(ALICE, "/touched.txt");
    byte[] bytes = "touched".getBytes(StandardCharsets.UTF_8);
    Instant t1 = Instant.parse("2021-03-04T05:06:07Z");
    Instant t2 = Instant.parse("2022-03-04T05:06:07.250Z");
    JournalRow first = put(alice, p, bytes, t1, Expect.ANY);
    assertEquals(t1, files.entry(alice, p).mtime());
    assertEquals(first, put(alice, p, bytes, t1, Expect.ANY), "same content, same mtime: nothing");
    assertEquals(first, put(alice, p, bytes, null, Expect.ANY), "no mtime given keeps the current one");
    long used = files.usage(alice, ALICE).usedBytes();

    JournalRow second = put(alice, p, bytes, t2, Expect.ANY);
    assertEquals(first.jid() + 1, second.jid(), "a new mtime is a row");
    assertEquals(first.contentHash(), second.contentHash());
    assertEquals(first.blocklist(), second.blocklist(), "naming the same chunks");
    assertEquals(t2, files.entry(alice, p).mtime());
    assertEquals(used, files.usage(alice, ALICE).usedBytes(), "and adding no bytes");

    Instant t3 = Instant.parse("2023-01-01T00:00:00Z");
    JournalRow third = files.setMtime(alice, p, t3);
    assertEquals(second.jid() + 1, third.jid());
    assertEquals(t3, files.entry(alice, p).mtime());
    assertEquals(third, files.setMtime(alice, p, t3), "setting the mtime it has is nothing");
    assertEquals(first.contentHash(), files.entry(alice, p).contentHash());
    files.mkdir(alice, new FilePath(ALICE, "/folder"));
    refused(CairnException.Kind.FORBIDDEN, () -> files.setMtime(alice, new FilePath(ALICE, "/folder"), t3));
    refused(CairnException.Kind.NOT_FOUND, () -> files.setMtime(alice, new FilePath(ALICE, "/none"), t3));
    refused(CairnException.Kind.FORBIDDEN, () -> files.setMtime(alice, new FilePath(DOCS, "/x"), t3));
  }

  @Test
  void wholeFileDigestsBelongToTheContentTheyDigestAndAreTheServersOwn() throws Exception {
    FilePath p = new FilePath(BOB, "/digested.bin");
    byte[] big = new byte[20_000];
    new Random(7).nextBytes(big);
    put(bob, p, big, null, Expect.ANY);
    Entry e = files.entry(bob, p);
    assertTrue(e.blocklist().blocks().size() > 5, "a body of many chunks");
    ContentDigests d = files.digests(bob, p, e);
    assertEquals(new ContentDigests(hex("SHA-1", big), null), d, "SHA-1 of the whole body, in order; no MD5 by default");
    assertEquals(Boolean.TRUE, d.matches("sha1", hex("SHA-1", big).toUpperCase()));
    assertEquals(Boolean.FALSE, d.matches("SHA1", hex("SHA-1", new byte[0])));
    assertNull(d.matches("MD5", hex("MD5", big)), "a type not computed is neither confirmed nor refuted");
    assertNull(d.matches("ADLER32", "01"), "nor one unknown here");

    assertTrue(files.properties(bob, p).isEmpty(), "hidden from clients");
    refused(CairnException.Kind.FORBIDDEN, () -> files.patchProperties(bob, p,
        List.of(new PropertyChange(new PropertyName(ContentDigests.INTERNAL_NAMESPACE, "content-digests"), "x"))));

    // Content committed from a blocklist has none, and the older content's never show for it.
    byte[] small = "small".getBytes(StandardCharsets.UTF_8);
    ChunkHash h = ChunkHash.sha256(small);
    files.storeChunk(bob, h, Buffer.buffer(small));
    files.commitBlocklist(bob, p, new Blocklist(List.of(new BlockRef(h, small.length))), Expect.ANY);
    assertNull(files.digests(bob, p, files.entry(bob, p)));
    put(bob, p, small, null, Expect.ANY);
    assertEquals(hex("SHA-1", small), files.digests(bob, p, files.entry(bob, p)).sha1(),
        "an unchanged upload still records the digests its content lacked");
    put(bob, p, new byte[0], null, Expect.ANY);
    assertEquals(hex("SHA-1", new byte[0]), files.digests(bob, p, files.entry(bob, p)).sha1(), "the empty file's");
  }

  @Test
  void anMd5AskedForIsComputedRecordedAndKeptByLaterUploadsOfTheSameContent() throws Exception {
    FilePath p = new FilePath(BOB, "/md5.bin");
    byte[] big = new byte[20_000];
    new Random(8).nextBytes(big);
    files.put(bob, p, files.upload(new ByteArrayInputStream(big), big.length, Set.of(DigestType.MD5)), Expect.ANY);
    ContentDigests both = new ContentDigests(hex("SHA-1", big), hex("MD5", big));
    assertEquals(both, files.digests(bob, p, files.entry(bob, p)), "the server's SHA-1 and the MD5 asked for");
    assertEquals("SHA1:" + both.sha1() + " MD5:" + both.md5(), both.ocChecksums());

    put(bob, p, big, null, Expect.ANY);
    assertEquals(both, files.digests(bob, p, files.entry(bob, p)), "an upload of the same content computing SHA-1 only keeps the MD5");
    byte[] other = "other".getBytes(StandardCharsets.UTF_8);
    put(bob, p, other, null, Expect.ANY);
    assertEquals(new ContentDigests(hex("SHA-1", other), null), files.digests(bob, p, files.entry(bob, p)),
        "new content has only what was computed for it");
  }
}
