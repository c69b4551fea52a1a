package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.storage.Change.Copy;
import io.cairn.storage.Change.Delete;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.Change.Move;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The trash, history across renames and chunk references part of the {@link Journal} contract
 * (migration V4). Not run on its own: backends subclass {@link JournalContractTest}, which extends
 * this class through {@link JournalMaintenanceContract}.
 */
abstract class JournalTrashContract extends JournalContractBase {

  private static List<String> paths(List<Entry> entries) {
    return entries.stream().map(Entry::path).toList();
  }

  private static ChunkHash hash(String seed) {
    return ChunkHash.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDeletedFolderIsKeptInTheTrashAsItWas() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/sub"));
    JournalRow a = commit(put("/d/a", 3));
    JournalRow b = commit(put("/d/sub/b", 5));
    clock.advance(Duration.ofSeconds(5));
    JournalRow gone = commit(new Delete("/d", Expect.ANY));

    List<TrashItem> trash = await(journal.trash(ns, "/", 10));
    assertEquals(List.of(new TrashItem("/d", gone.jid(), gone.at(), "alice", EntryKind.DIRECTORY, 8, 2)), trash);
    List<Entry> entries = await(journal.trashed(ns, gone.jid(), "/d"));
    assertEquals(List.of("/d", "/d/a", "/d/sub", "/d/sub/b"), paths(entries), "parents first");
    Entry file = entries.get(3);
    assertEquals(b.jid(), file.version());
    assertEquals(b.blocklist(), file.blocklist());
    assertEquals(b.contentHash(), file.contentHash());
    assertEquals(5, file.size());
    assertEquals(a.jid(), entries.get(1).version());
    assertEquals(List.of("/d/sub", "/d/sub/b"), paths(await(journal.trashed(ns, gone.jid(), "/d/sub"))));
    assertEquals(List.of(), await(journal.trashed(ns, gone.jid(), "/other")));
    assertEquals(List.of(), await(journal.trashed(ns, b.jid(), "/d")), "that commit removed nothing");
  }

  @Test
  void aMoveOrCopyThatReplacesItsDestinationTrashesWhatItReplaced() {
    JournalRow old = commit(put("/y", 4, "old", Expect.ANY));
    commit(put("/x", 2, "new", Expect.ANY));
    JournalRow moved = commit(new Move("/x", "/y", true, Expect.ANY));
    commit(new Mkdir("/dir"));
    commit(put("/dir/f", 7));
    commit(new Mkdir("/dir2"));
    JournalRow copied = commit(new Copy("/dir2", "/dir", true, true));
    commit(put("/plain", 1));
    commit(new Move("/plain", "/plain2", false, Expect.ANY));

    List<TrashItem> trash = await(journal.trash(ns, "/", 10));
    assertEquals(List.of(copied.jid(), moved.jid()), trash.stream().map(TrashItem::jid).toList());
    assertEquals(7, trash.get(0).bytes());
    Entry replaced = await(journal.trashed(ns, moved.jid(), "/y")).getFirst();
    assertEquals(old.contentHash(), replaced.contentHash());
    assertEquals(old.jid(), replaced.version());
    assertEquals(List.of("/dir", "/dir/f"), paths(await(journal.trashed(ns, copied.jid(), "/"))));
  }

  @Test
  void theTrashListsRootsBelowAFolderNewestFirst() {
    commit(new Mkdir("/a"));
    commit(new Mkdir("/ab"));
    List<Long> deletions = new ArrayList<>();
    for (String p : List.of("/a/1", "/ab/2", "/a/3", "/4")) {
      commit(put(p, 1));
      deletions.add(commit(new Delete(p, Expect.ANY)).jid());
    }
    assertEquals(List.of(deletions.get(2), deletions.get(0)),
        await(journal.trash(ns, "/a", 10)).stream().map(TrashItem::jid).toList());
    assertEquals(List.of(deletions.get(3), deletions.get(2)),
        await(journal.trash(ns, "/", 2)).stream().map(TrashItem::jid).toList());
    assertEquals(List.of(), await(journal.trash(ns, "/nothing", 10)));
    assertFails(NOT_FOUND, journal.trash("no-such-namespace", "/", 10));
    assertFails(NOT_FOUND, journal.trashed("no-such-namespace", 1, "/"));
  }

  @Test
  void historyFollowsAFileThroughRenamesOfItselfAndItsFolders() {
    JournalRow v1 = commit(put("/a", 1, "v1", Expect.ANY));
    JournalRow v2 = commit(put("/a", 2, "v2", Expect.ANY));
    JournalRow other = commit(put("/b", 9, "another file", Expect.ANY));
    JournalRow otherGone = commit(new Delete("/b", Expect.ANY));
    JournalRow toB = commit(new Move("/a", "/b", false, Expect.ANY));
    commit(new Mkdir("/dir"));
    JournalRow intoDir = commit(new Move("/b", "/dir/c", false, Expect.ANY));
    JournalRow v3 = commit(put("/dir/c", 3, "v3", Expect.ANY));
    JournalRow dirMoved = commit(new Move("/dir", "/dir2", false, Expect.ANY));

    List<Long> expected = List.of(dirMoved.jid(), v3.jid(), intoDir.jid(), toB.jid(), v2.jid(), v1.jid());
    assertEquals(expected, jids(await(journal.history(ns, "/dir2/c", Long.MAX_VALUE, 100))));
    assertTrue(!jids(await(journal.history(ns, "/dir2/c", 0, 100))).contains(other.jid()),
        "the file that lived at /b before is not this one's history");
    List<Long> paged = new ArrayList<>();
    long before = 0;
    while (true) {
      List<JournalRow> page = await(journal.history(ns, "/dir2/c", before, 2));
      paged.addAll(jids(page));
      if (page.size() < 2) {
        break;
      }
      before = page.getLast().jid();
    }
    assertEquals(expected, paged, "pages follow renames too");
    assertEquals(List.of(intoDir.jid(), toB.jid(), v2.jid(), v1.jid()),
        jids(await(journal.history(ns, "/b", 0, 10))),
        "a path nothing lives at any more: the last file that was there, followed back");
    assertEquals(List.of(other.jid(), otherGone.jid()).reversed(),
        jids(await(journal.history(ns, "/b", 10))).subList(2, 4),
        "the rows naming the path, unfollowed, are still there");
    assertFails(NOT_FOUND, journal.history("no-such-namespace", "/a", 0, 10));
  }

  @Test
  void chunksNamedByAnyRetainedVersionAreReferencedInTheirNamespaceOnly() {
    commit(put("/f", 10, "kept", Expect.ANY));
    commit(put("/f", 10, "newer", Expect.ANY));
    commit(new Delete("/f", Expect.ANY));
    String other = newNamespace();
    await(journal.createNamespace(other));
    Set<ChunkHash> asked = Set.of(hash("kept"), hash("newer"), hash("never"));
    assertEquals(Set.of(hash("kept"), hash("newer")), await(journal.referenced(List.of(ns), asked)));
    assertEquals(Set.of(), await(journal.referenced(List.of(other), asked)));
    assertEquals(Set.of(hash("kept"), hash("newer")), await(journal.referenced(List.of(other, ns), asked)));
    assertEquals(Set.of(), await(journal.referenced(List.of(), asked)));
  }

  @Test
  void uploadsAreRecordedPerUserWithTheirNewestTime() {
    String user = "u-" + newNamespace();
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    await(journal.recordUpload(user, List.of(hash("a"), hash("b"), hash("a")), t0));
    await(journal.recordUpload(user, List.of(hash("b")), t0.plusSeconds(3600)));
    Set<ChunkHash> asked = Set.of(hash("a"), hash("b"), hash("c"));
    assertEquals(Set.of(hash("a"), hash("b")), await(journal.uploadedSince(user, asked, t0)));
    assertEquals(Set.of(hash("b")), await(journal.uploadedSince(user, asked, t0.plusSeconds(1))));
    assertEquals(Set.of(), await(journal.uploadedSince("someone-else", asked, t0)));
    await(journal.recordUpload(user, List.of(hash("b")), t0)); // an older upload moves nothing back
    assertEquals(Set.of(hash("b")), await(journal.uploadedSince(user, asked, t0.plusSeconds(1))));
    await(journal.recordUpload(null, List.of(hash("c")), t0));
    assertEquals(Set.of(hash("c")), await(journal.uploadedSince(null, asked, t0)));
  }

  @Test
  void expiryIsRecordedOncePerJidAndReadBackForThoseAsked() {
    JournalRow v1 = commit(put("/f", 3));
    JournalRow v2 = commit(put("/f", 4));
    JournalRow gone = commit(new Delete("/f", Expect.ANY));
    Instant first = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String other = newNamespace();
    await(journal.createNamespace(other));
    assertEquals(java.util.Map.of(), await(journal.expired(ns, List.of(v1.jid(), v2.jid(), gone.jid()))));

    await(journal.expire(ns, List.of(v1.jid(), gone.jid(), gone.jid()), first));
    clock.advance(Duration.ofHours(2));
    await(journal.expire(ns, List.of(v1.jid()), clock.instant()));

    assertEquals(java.util.Map.of(v1.jid(), first, gone.jid(), first),
        await(journal.expired(ns, List.of(v1.jid(), v2.jid(), gone.jid()))),
        "the first expiry's time stays; v2 was never expired");
    assertEquals(java.util.Map.of(), await(journal.expired(ns, List.of())));
    assertEquals(java.util.Map.of(), await(journal.expired(other, List.of(v1.jid()))),
        "expiry belongs to its namespace");
    assertEquals(List.of(v2.jid(), v1.jid()),
        await(journal.history(ns, "/f", 10)).stream().filter(r -> r.kind() == ChangeKind.PUT).map(JournalRow::jid).toList(),
        "the rows stay in history");
    assertEquals(1, await(journal.trash(ns, "/", 10)).size(), "and in the trash");
  }

  @Test
  void namespaceSettingsAreSetReplacedAndRemovedPerNamespace() {
    assertEquals(java.util.Map.of(), await(journal.namespaceSettings(ns)));
    java.util.Map<String, Long> set = new java.util.HashMap<>();
    set.put("retention.keep.all.days", 7L);
    set.put("retention.max.versions", 3L);
    await(journal.setNamespaceSettings(ns, set));
    java.util.Map<String, Long> change = new java.util.HashMap<>();
    change.put("retention.keep.all.days", 9L);
    change.put("retention.max.versions", null);
    await(journal.setNamespaceSettings(ns, change));
    assertEquals(java.util.Map.of("retention.keep.all.days", 9L), await(journal.namespaceSettings(ns)));
    String other = newNamespace();
    await(journal.createNamespace(other));
    assertEquals(java.util.Map.of(), await(journal.namespaceSettings(other)), "settings belong to their namespace");
    assertEquals(NOT_FOUND, failureOf(journal.namespaceSettings("no-such-namespace-" + ns)));
    assertEquals(NOT_FOUND, failureOf(journal.setNamespaceSettings("no-such-namespace-" + ns, set)));
    assertEquals(io.cairn.core.CairnException.Kind.CONFLICT,
        failureOf(journal.setNamespaceSettings(ns, java.util.Map.of("", 1L))));
  }

  @Test
  void usageSplitsLiveVersionsAndTrashAndDropsWhatExpired() {
    assertEquals(new NamespaceUsage(ns, 0, 0, 0), await(journal.usage(ns)));
    JournalRow a1 = commit(put("/a", 100));
    commit(put("/a", 30)); // a1 becomes a version
    commit(put("/b", 7));
    JournalRow b2 = commit(put("/b", 8)); // b1 a version
    commit(new Move("/a", "/moved", false, Expect.ANY)); // the live content moves: still live, no version
    JournalRow gone = commit(new Delete("/b", Expect.ANY)); // b2 to the trash, not also a version
    commit(put("/c", 100, "/a@100", Expect.ANY)); // a1's content is live again: not counted twice
    assertEquals(new NamespaceUsage(ns, 130, 7, 8), await(journal.usage(ns)));
    assertEquals(15, await(journal.usage(ns)).historyBytes());

    JournalRow a3 = commit(put("/moved", 5)); // 30 becomes a version
    await(journal.expire(ns, List.of(gone.jid()), clock.instant()));
    assertEquals(new NamespaceUsage(ns, 105, 7 + 8 + 30, 0), await(journal.usage(ns)),
        "an expired trash item leaves the trash; the version it held counts until it expires too");
    await(journal.expire(ns, List.of(b2.jid()), clock.instant()));
    assertEquals(new NamespaceUsage(ns, 105, 7 + 30, 0), await(journal.usage(ns)));
    assertEquals(a3.jid(), entry("/moved").version());
    assertTrue(a1.jid() < a3.jid());
    assertEquals(NOT_FOUND, failureOf(journal.usage("no-such-namespace-" + ns)));
  }
}
