package io.cairn.files;

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
import java.util.List;
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
    files.storeChunk(alice, have, present);
    Blocklist list = new Blocklist(List.of(
        new BlockRef(have, present.length), new BlockRef(lack, absent.length), new BlockRef(lack, absent.length)));
    FilePath p = new FilePath(ALICE, "/delta.bin");
    long before = lastJid(ALICE);

    FileService.Commit first = files.commitBlocklist(alice, p, list, Expect.ANY);
    assertFalse(first.committed());
    assertEquals(List.of(lack), first.missing(), "each missing chunk named once");
    assertNull(files.entry(alice, p));
    assertEquals(before, lastJid(ALICE));

    files.storeChunk(alice, lack, absent);
    FileService.Commit second = files.commitBlocklist(alice, p, list, Expect.ANY);
    assertTrue(second.committed());
    assertEquals("present chunkabsent chunkabsent chunk", read(alice, p));
    assertEquals("alice", second.row().author(), "the caller is the author");
  }
}
