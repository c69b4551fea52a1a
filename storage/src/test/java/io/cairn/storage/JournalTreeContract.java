package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.CONFLICT;
import static io.cairn.core.CairnException.Kind.NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.TreePaths;
import io.cairn.storage.Change.Copy;
import io.cairn.storage.Change.Delete;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.Change.Move;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * File ids, tree versions and tree sizes (migration V5, docs/adr/0009-file-ids-and-tree-etags.md):
 * what the ownCloud/Nextcloud clients read as {@code oc:fileid}, a folder's ETag and {@code
 * oc:size}. Not run on its own: backends subclass {@link JournalContractTest}, which extends this
 * class. Every check reads the entries before and after a commit, so a caching journal that kept
 * an ancestor's entry or listing past the commit fails here too.
 */
abstract class JournalTreeContract extends JournalTrashContract {

  private long id(String path) {
    return entry(path).fileId();
  }

  /** Every entry of the namespace by path, root included, read through children(). */
  private Map<String, Entry> everything(String namespace) {
    Map<String, Entry> out = new HashMap<>();
    collect(namespace, await(journal.entry(namespace, TreePaths.ROOT)), out);
    return out;
  }

  private void collect(String namespace, Entry e, Map<String, Entry> out) {
    out.put(e.path(), e);
    if (e.isDirectory()) {
      for (Entry child : await(journal.children(namespace, e.path(), null, 1000))) {
        collect(namespace, child, out);
      }
    }
  }

  /**
   * Every directory's tree size is the sum of the sizes of the files below it (the root's, the
   * used bytes), every file's its size, each entry read alone and in its parent's listing.
   */
  private void assertTreeSizesAddUp() {
    Map<String, Entry> all = everything(ns);
    for (Entry e : all.values()) {
      long below = all.values().stream()
          .filter(o -> !o.isDirectory() && TreePaths.isSameOrBelow(o.path(), e.path()))
          .mapToLong(Entry::size).sum();
      assertEquals(below, e.treeSize(), "tree size of " + e.path() + " in a listing");
      assertEquals(below, entry(e.path()).treeSize(), "tree size of " + e.path());
    }
    assertEquals(info().usedBytes(), entry("/").treeSize(), "the root's tree size");
  }

  /** {@code path} and every directory above it, root included, carry the commit's jid. */
  private void assertTouchedUpFrom(String path, JournalRow row) {
    for (String p = path; ; p = TreePaths.parent(p)) {
      assertEquals(row.jid(), entry(p).treeVersion(), "tree version of " + p + " after " + row);
      if (p.equals(TreePaths.ROOT)) {
        break;
      }
      String parent = TreePaths.parent(p);
      String child = p;
      Entry listed = await(journal.children(ns, parent, null, 1000)).stream()
          .filter(c -> c.path().equals(child)).findFirst().orElseThrow();
      assertEquals(row.jid(), listed.treeVersion(), "tree version of " + listed.path()
          + " in the listing of " + parent + " after " + row);
      ListedEntry light = await(journal.listing(ns, parent, null, 1000)).stream()
          .filter(c -> c.path().equals(child)).findFirst().orElseThrow();
      assertEquals(row.jid(), light.treeVersion(), "tree version of " + light.path()
          + " in the listing without blocklists of " + parent + " after " + row);
    }
  }

  // ---- listings without blocklists

  @Test
  void aListingShowsEachChildAsChildrenDoesButItsBlocklist() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/sub"));
    commit(put("/d/sub/deep", 3));
    commit(put("/d/a", 5, "one", Expect.ANY));
    commit(put("/d/a", 7, "two", Expect.ANY));
    commit(put("/d/empty", 0));
    commit(put("/d/\u00e9t\u00e9 \uD83D\uDE00", 2));
    List<Entry> whole = await(journal.children(ns, "/d", null, 10));
    assertEquals(4, whole.size());
    assertEquals(whole.stream().map(Entry::listed).toList(), await(journal.listing(ns, "/d", null, 10)));
    ListedEntry a = await(journal.listing(ns, "/d", null, 1)).getFirst();
    Entry stored = entry("/d/a");
    assertEquals(List.of("/d/a", "FILE", "7", "h-two"),
        List.of(a.path(), a.kind().name(), Long.toString(a.size()), a.contentHash()));
    assertEquals(List.of(stored.version(), stored.fileId(), stored.treeVersion(), stored.treeSize()),
        List.of(a.version(), a.fileId(), a.treeVersion(), a.treeSize()));
    assertEquals(List.of(stored.mtime(), stored.created()), List.of(a.mtime(), a.created()));
    assertEquals(whole.subList(2, 4).stream().map(Entry::listed).toList(),
        await(journal.listing(ns, "/d", whole.get(1).name(), 10)), "the page after a name");
    assertEquals(List.of(), await(journal.listing(ns, "/d", null, 0)));
    ListedEntry root = await(journal.listing(ns, "/", null, 10)).getFirst();
    assertEquals(List.of("/d", 12L), List.of(root.path(), root.treeSize()), "a child of the root");
  }

  @Test
  void aListingOfAMissingPathOrAFileFailsAsChildrenDo() {
    commit(put("/f", 1));
    assertFails(NOT_FOUND, journal.listing(ns, "/nope", null, 10));
    assertFails(CONFLICT, journal.listing(ns, "/f", null, 10));
    assertFails(CONFLICT, journal.listing(ns, "no-slash", null, 10));
  }

  /** A caching journal keeps the two apart: a page read without blocklists never answers children. */
  @Test
  void childrenReadAfterAListingStillCarryTheirBlocklists() {
    commit(new Mkdir("/d"));
    commit(put("/d/f", 4, "content", Expect.ANY));
    for (int i = 0; i < 2; i++) {
      assertEquals("/d/f", await(journal.listing(ns, "/d", null, 10)).getFirst().path());
    }
    Entry f = await(journal.children(ns, "/d", null, 10)).getFirst();
    assertEquals(blocks(4, "content"), f.blocklist());
    assertEquals(entry("/d/f"), f);
    commit(put("/d/f", 6, "changed", Expect.ANY));
    assertEquals(6, await(journal.listing(ns, "/d", null, 10)).getFirst().size(), "after a commit");
    assertEquals(blocks(6, "changed"), await(journal.children(ns, "/d", null, 10)).getFirst().blocklist());
  }

  // ---- file ids

  @Test
  void anOverwriteKeepsTheFileId() {
    commit(put("/f", 10));
    long id = id("/f");
    commit(put("/f", 3, "new", Expect.ANY));
    assertEquals(id, id("/f"));
  }

  @Test
  void aMoveKeepsTheFileIdOfTheFileAndOfEverythingBelowAMovedFolder() {
    commit(new Mkdir("/a"));
    commit(new Mkdir("/a/b"));
    commit(put("/a/b/f", 4));
    commit(put("/a/g", 2));
    long a = id("/a");
    long b = id("/a/b");
    long f = id("/a/b/f");
    long g = id("/a/g");
    commit(new Move("/a/b/f", "/a/b/renamed", false, Expect.ANY));
    assertEquals(f, id("/a/b/renamed"), "rename");
    commit(new Mkdir("/elsewhere"));
    commit(new Move("/a/b/renamed", "/elsewhere/f", false, Expect.ANY));
    assertEquals(f, id("/elsewhere/f"), "move to another folder");
    commit(new Move("/elsewhere/f", "/a/b/f", false, Expect.ANY));
    commit(new Move("/a", "/elsewhere/a2", false, Expect.ANY));
    assertEquals(List.of(a, b, f, g), List.of(id("/elsewhere/a2"), id("/elsewhere/a2/b"),
        id("/elsewhere/a2/b/f"), id("/elsewhere/a2/g")), "move of an ancestor folder");
    commit(put("/victim", 1));
    long victim = id("/victim");
    commit(new Move("/elsewhere/a2/g", "/victim", true, Expect.ANY));
    assertEquals(g, id("/victim"), "a move over a file keeps the mover's id, not the victim's");
    assertNotEquals(victim, id("/victim"));
  }

  @Test
  void aFileIdFindsItsEntryWhereverItMovedAndNothingOnceDeleted() {
    commit(new Mkdir("/a"));
    commit(put("/a/f", 4));
    long id = id("/a/f");
    assertEquals("/a/f", await(journal.pathOf(ns, id)));
    commit(new Move("/a", "/b", false, Expect.ANY));
    assertEquals("/b/f", await(journal.pathOf(ns, id)), "after a move of the folder above it");
    String other = newNamespace();
    await(journal.createNamespace(other));
    assertNull(await(journal.pathOf(other, id)), "an id is looked up in its namespace only");
    commit(new Delete("/b/f", Expect.ANY));
    assertNull(await(journal.pathOf(ns, id)), "a deleted entry is not found by its id");
  }

  @Test
  void everyCopiedEntryGetsANewIdOfItsOwn() {
    commit(new Mkdir("/s"));
    commit(new Mkdir("/s/t"));
    commit(put("/s/1", 1));
    commit(put("/s/2", 2));
    commit(put("/s/t/3", 3));
    Map<String, Entry> before = everything(ns);
    commit(new Copy("/s", "/c", false, true));
    commit(new Copy("/s", "/alone", false, false));
    commit(new Copy("/s/1", "/s/t/3", true, false));
    Map<String, Entry> after = everything(ns);
    for (String p : before.keySet()) {
      if (!p.equals("/s/t/3")) {
        assertEquals(before.get(p).fileId(), after.get(p).fileId(), "the source keeps " + p);
      }
    }
    Set<Long> ids = new HashSet<>();
    for (Entry e : after.values()) {
      assertTrue(e.fileId() > 0, e.path());
      assertTrue(ids.add(e.fileId()), "two entries share id " + e.fileId() + ": " + e.path());
    }
    for (String p : List.of("/c", "/c/t", "/c/1", "/c/2", "/c/t/3", "/alone", "/s/t/3")) {
      long copied = after.get(p).fileId();
      assertTrue(before.values().stream().noneMatch(e -> e.fileId() == copied), p + " is new");
    }
  }

  @Test
  void anIdIsNeverHandedOutAgainAfterADelete() {
    Set<Long> seen = new HashSet<>();
    seen.add(id("/"));
    commit(new Mkdir("/d"));
    commit(put("/d/f", 1));
    commit(put("/d/g", 1));
    commit(put("/last", 1));
    everything(ns).values().forEach(e -> seen.add(e.fileId()));
    commit(new Delete("/last", Expect.ANY));
    commit(new Delete("/d", Expect.ANY));
    commit(put("/last", 1));
    commit(new Mkdir("/d"));
    commit(put("/d/f", 1));
    commit(put("/n1", 1));
    commit(put("/n2", 1));
    commit(new Copy("/n1", "/n3", false, false));
    for (Entry e : everything(ns).values()) {
      if (!e.path().equals("/")) {
        assertTrue(seen.add(e.fileId()), e.path() + " got the id " + e.fileId() + " again");
      }
    }
  }

  @Test
  void idsAreUniqueAcrossNamespaces() {
    String other = newNamespace();
    await(journal.createNamespace(other));
    for (int i = 0; i < 3; i++) {
      commit(put("/f" + i, 1));
      await(journal.commit(other, put("/f" + i, 1), "bob"));
      await(journal.commit(other, new Mkdir("/d" + i), "bob"));
    }
    Set<Long> ids = new HashSet<>();
    for (String namespace : List.of(ns, other)) {
      for (Entry e : everything(namespace).values()) {
        assertTrue(e.fileId() > 0, namespace + e.path());
        assertTrue(ids.add(e.fileId()), namespace + e.path() + " shares id " + e.fileId());
      }
    }
    assertEquals(2 + 3 + 6, ids.size());
  }

  @Test
  void aRootKeepsItsIdAcrossCommits() {
    long root = id("/");
    commit(put("/f", 1));
    commit(new Delete("/f", Expect.ANY));
    assertEquals(root, id("/"));
  }

  // ---- tree versions

  @Test
  void everyAncestorTakesTheJidOfEachKindOfCommitBelowIt() {
    commit(new Mkdir("/a"));
    commit(new Mkdir("/a/b"));
    commit(new Mkdir("/a/b/c"));
    commit(new Mkdir("/x"));
    commit(new Mkdir("/x/y"));
    commit(put("/x/y/keep", 1));
    long sideways = entry("/x").treeVersion();

    JournalRow row = commit(put("/a/b/c/f", 5));
    assertTouchedUpFrom("/a/b/c/f", row);
    assertEquals(sideways, entry("/x").treeVersion(), "a sibling folder is left alone");
    assertEquals(row.jid(), entry("/a/b/c/f").version());

    row = commit(put("/a/b/c/f", 7, "again", Expect.ANY));
    assertTouchedUpFrom("/a/b/c/f", row);

    row = commit(new Mkdir("/a/b/c/d"));
    assertTouchedUpFrom("/a/b/c/d", row);

    commit(put("/a/b/c/d/deep", 1));
    row = commit(new Delete("/a/b/c/d/deep", Expect.ANY));
    assertTouchedUpFrom("/a/b/c/d", row);

    long untouched = entry("/x/y/keep").treeVersion();
    row = commit(new Move("/a/b/c/f", "/x/y/f", false, Expect.ANY));
    assertTouchedUpFrom("/a/b/c", row);
    assertTouchedUpFrom("/x/y/f", row);
    assertEquals(untouched, entry("/x/y/keep").treeVersion(), "a file beside the destination");

    row = commit(new Copy("/x/y/f", "/a/b/copied", false, false));
    assertTouchedUpFrom("/a/b/copied", row);
    assertNotEquals(row.jid(), entry("/x").treeVersion(), "a copy changes nothing at its source");

    row = commit(new Move("/a/b/copied", "/x/y/keep", true, Expect.ANY));
    assertTouchedUpFrom("/a/b", row);
    assertTouchedUpFrom("/x/y/keep", row);

    commit(new Mkdir("/x/y/victim"));
    commit(put("/x/y/victim/v", 3));
    row = commit(new Copy("/a/b/c", "/x/y/victim", true, true));
    assertTouchedUpFrom("/x/y/victim/d", row);
    assertEquals(row.jid(), entry("/x/y/victim").treeVersion(), "a copied folder");
  }

  @Test
  void aMovedFolderAndEverythingInItTakeTheMovesJid() {
    commit(new Mkdir("/m"));
    commit(new Mkdir("/m/n"));
    commit(put("/m/n/f", 1));
    commit(new Mkdir("/to"));
    JournalRow row = commit(new Move("/m", "/to/m", false, Expect.ANY));
    for (String p : List.of("/to/m", "/to/m/n", "/to/m/n/f", "/to", "/")) {
      assertEquals(row.jid(), entry(p).treeVersion(), p);
    }
    assertEquals(row.jid(), entry("/to/m/n/f").version(), "a file's tree version is its version");
  }

  @Test
  void aPropertyPatchLeavesTreeVersionsAlone() {
    commit(new Mkdir("/d"));
    JournalRow row = commit(put("/d/f", 1));
    patch("/d/f", "urn:x", "p", "v");
    patch("/d", "urn:x", "p", "v");
    assertEquals(row.jid(), entry("/d").treeVersion());
    assertEquals(row.jid(), entry("/d/f").treeVersion());
    assertEquals(row.jid(), entry("/").treeVersion());
  }

  // ---- tree sizes

  @Test
  void treeSizesFollowEveryKindOfCommit() {
    commit(new Mkdir("/a"));
    commit(new Mkdir("/a/b"));
    commit(new Mkdir("/x"));
    commit(put("/a/b/f", 10));
    commit(put("/a/g", 5));
    commit(put("/x/h", 1));
    assertTreeSizesAddUp();
    assertEquals(15, entry("/a").treeSize());
    commit(put("/a/b/f", 4, "smaller", Expect.ANY));
    assertEquals(9, entry("/a").treeSize());
    assertEquals(4, entry("/a/b").treeSize());
    assertTreeSizesAddUp();
    commit(new Move("/a/b", "/x/b", false, Expect.ANY));
    assertEquals(5, entry("/a").treeSize());
    assertEquals(5, entry("/x").treeSize());
    assertTreeSizesAddUp();
    commit(new Copy("/x", "/a/x", false, true));
    assertEquals(10, entry("/a").treeSize());
    assertEquals(5, entry("/a/x").treeSize());
    assertTreeSizesAddUp();
    commit(new Copy("/x", "/alone", false, false));
    assertEquals(0, entry("/alone").treeSize(), "a folder copied alone holds nothing");
    commit(new Move("/a/g", "/x/h", true, Expect.ANY));
    assertEquals(5, entry("/a").treeSize());
    assertEquals(9, entry("/x").treeSize(), "the replaced file's bytes are gone");
    assertTreeSizesAddUp();
    commit(new Copy("/a", "/x", true, true));
    assertEquals(5, entry("/x").treeSize(), "a replaced folder's bytes are gone");
    assertTreeSizesAddUp();
    commit(new Delete("/x/x/b/f", Expect.ANY));
    assertEquals(1, entry("/x").treeSize());
    assertTreeSizesAddUp();
    commit(new Delete("/a", Expect.ANY));
    assertTreeSizesAddUp();
    assertEquals(1, entry("/").treeSize());
  }
}
