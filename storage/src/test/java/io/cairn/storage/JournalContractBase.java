package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.CONFLICT;
import static io.cairn.core.CairnException.Kind.NOT_FOUND;
import static io.cairn.core.CairnException.Kind.PRECONDITION_FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.storage.Change.Copy;
import io.cairn.storage.Change.Delete;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.Change.Move;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fixture and helpers of {@link JournalContractTest}, with its move, copy, paging, concurrency and
 * durability half. Not run on its own: backends subclass {@link JournalContractTest}.
 */
abstract class JournalContractBase extends JournalTestSupport {
  protected Journal journal;
  protected String ns;

  /**
   * Opens a new journal on the same storage as the most recent {@link #createJournal}, which the
   * test has closed: what a restarted server would see.
   */
  protected abstract Journal reopen(Clock clock) throws Exception;

  @BeforeEach
  void openJournalWithANamespace() throws Exception {
    journal = track(createJournal(clock));
    ns = newNamespace();
    await(journal.createNamespace(ns));
  }

  protected JournalRow commit(Change change) {
    return await(journal.commit(ns, change, "alice"));
  }

  protected CairnException.Kind kind(Change change) {
    return failureOf(journal.commit(ns, change, "alice"));
  }

  protected Entry entry(String path) {
    return await(journal.entry(ns, path));
  }

  protected NamespaceInfo info() {
    return await(journal.namespace(ns));
  }

  protected Map<PropertyName, String> props(String path) {
    return await(journal.properties(ns, path));
  }

  protected void patch(String path, String xmlns, String name, String value) {
    PropertyChange change = new PropertyChange(new PropertyName(xmlns, name), value);
    await(journal.patchProperties(ns, path, List.of(change)));
  }

  protected static List<String> names(List<Entry> entries) {
    return entries.stream().map(Entry::name).toList();
  }

  protected static List<Long> jids(List<JournalRow> rows) {
    return rows.stream().map(JournalRow::jid).toList();
  }

  /** Builds /d {/d/e {/d/e/f (10 B)}, /d/g (5 B)} with a property on /d and /d/e/f. */
  private void buildTree() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    commit(put("/d/e/f", 10));
    commit(put("/d/g", 5));
    patch("/d", "urn:x", "p", "on-d");
    patch("/d/e/f", "urn:x", "p", "on-f");
  }

  // ---- move

  @Test
  void moveRenamesAFileKeepingCreatedMtimeAndProperties() {
    JournalRow created = commit(put("/a", 4));
    long id = entry("/a").fileId();
    patch("/a", "", "p", "v");
    clock.advance(Duration.ofSeconds(5));
    JournalRow row = commit(new Move("/a", "/b", false, Expect.version(1)));
    assertEquals(
        new JournalRow(ns, 2, ChangeKind.MOVE, "/a", "/b", 0, null, Blocklist.EMPTY, null,
            "alice", clock.instant()),
        row);
    assertNull(entry("/a"));
    Entry b = entry("/b");
    assertEquals(new Entry("/b", EntryKind.FILE, 4, created.at(), "h-/a@4",
        blocks(4, "/a@4"), 2, created.at(), id, 2, 4), b);
    assertEquals(Map.of(new PropertyName("", "p"), "v"), props("/b"));
    assertEquals(4, info().usedBytes());
  }

  @Test
  void moveRebasesTheSubtreeAndGivesEveryEntryTheNewVersion() {
    buildTree();
    commit(new Mkdir("/t"));
    JournalRow row = commit(new Move("/d", "/t/m", false, Expect.ANY));
    for (String p : List.of("/d", "/d/e", "/d/e/f", "/d/g")) {
      assertNull(entry(p), p);
    }
    for (String p : List.of("/t/m", "/t/m/e", "/t/m/e/f", "/t/m/g")) {
      assertEquals(row.jid(), entry(p).version(), p);
    }
    assertEquals(List.of("e", "g"), names(await(journal.children(ns, "/t/m", null, 10))));
    assertEquals(List.of("f"), names(await(journal.children(ns, "/t/m/e", null, 10))));
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-d"), props("/t/m"));
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-f"), props("/t/m/e/f"));
    assertEquals(15, info().usedBytes());
  }

  @Test
  void moveRebasesMultibyteNamesByCharacters() {
    String src = "/\u00e9\ud83d\ude00\u4e2d";
    commit(new Mkdir(src));
    commit(new Mkdir(src + "/\u00fc\ud83d\ude01"));
    commit(put(src + "/\u00fc\ud83d\ude01/x\ud83d\ude02", 3));
    patch(src + "/\u00fc\ud83d\ude01/x\ud83d\ude02", "", "p", "v");
    commit(new Move(src, "/z", false, Expect.ANY));
    assertEquals(List.of("\u00fc\ud83d\ude01"), names(await(journal.children(ns, "/z", null, 9))));
    Entry moved = entry("/z/\u00fc\ud83d\ude01/x\ud83d\ude02");
    assertNotNull(moved);
    assertEquals("x\ud83d\ude02", moved.name());
    assertEquals(Map.of(new PropertyName("", "p"), "v"), props(moved.path()));
    commit(new Move("/z", "/\ud83d\ude03\ud83d\ude03", false, Expect.ANY));
    assertEquals(3, entry("/\ud83d\ude03\ud83d\ude03/\u00fc\ud83d\ude01/x\ud83d\ude02").size());
    assertEquals(List.of("\u00fc\ud83d\ude01"),
        names(await(journal.children(ns, "/\ud83d\ude03\ud83d\ude03", null, 9))));
  }

  @Test
  void moveOfNamesWithWildcardCharactersTouchesNothingElse() {
    for (String dir : List.of("/d_", "/dX", "/d%", "/d%x", "/d_/_")) {
      commit(new Mkdir(dir));
      commit(put(dir + "/c", 1));
    }
    commit(new Move("/d_", "/m", false, Expect.ANY));
    assertEquals(List.of("_", "c"), names(await(journal.children(ns, "/m", null, 9))));
    assertNotNull(entry("/m/_/c"));
    for (String kept : List.of("/dX/c", "/d%/c", "/d%x/c")) {
      assertNotNull(entry(kept), kept);
    }
    commit(new Delete("/d%", Expect.ANY));
    assertNotNull(entry("/d%x/c"));
    assertEquals(List.of("d%x", "dX", "m"), names(await(journal.children(ns, "/", null, 9))));
  }

  @Test
  void moveOfAMissingSourceIsNotFound() {
    commit(new Mkdir("/d"));
    assertEquals(NOT_FOUND, kind(new Move("/nope", "/x", false, Expect.ANY)));
    assertEquals(NOT_FOUND, kind(new Move("/d/nope", "/d/x", true, Expect.ANY)));
  }

  @Test
  void moveExpectationAppliesToTheSource() {
    commit(put("/a", 1));
    commit(put("/b", 1));
    assertEquals(PRECONDITION_FAILED, kind(new Move("/a", "/c", false, Expect.version(2))));
    assertEquals(PRECONDITION_FAILED, kind(new Move("/a", "/c", false, Expect.ABSENT)));
    commit(new Move("/a", "/c", false, Expect.version(1)));
    assertNotNull(entry("/c"));
  }

  @Test
  void moveOntoItselfBelowItselfOrAnAncestorIsConflict() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    assertEquals(CONFLICT, kind(new Move("/d", "/d", true, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Move("/d", "/d/x", false, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Move("/d", "/d/e/x", false, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Move("/d/e", "/d", true, Expect.ANY)));
    assertEquals(2, info().lastJid());
    assertNotNull(entry("/d/e"));
  }

  @Test
  void moveNeedsAnExistingDirectoryAsDestinationParent() {
    commit(put("/a", 1));
    commit(put("/f", 1));
    assertEquals(CONFLICT, kind(new Move("/a", "/missing/a", false, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Move("/a", "/f/a", false, Expect.ANY)));
    assertNotNull(entry("/a"));
  }

  @Test
  void moveOntoAnExistingPathWithoutOverwriteIsPreconditionFailed() {
    commit(put("/a", 1));
    commit(new Mkdir("/b"));
    assertEquals(PRECONDITION_FAILED, kind(new Move("/a", "/b", false, Expect.ANY)));
    assertEquals(EntryKind.DIRECTORY, entry("/b").kind());
    assertEquals(2, info().lastJid());
  }

  @Test
  void moveWithOverwriteReplacesTheDestinationSubtree() {
    buildTree();
    commit(new Mkdir("/s"));
    commit(put("/s/only", 3));
    patch("/s", "urn:x", "q", "on-s");
    commit(new Move("/s", "/d", true, Expect.ANY));
    assertNull(entry("/s"));
    assertNull(entry("/d/e"));
    assertNull(entry("/d/g"));
    assertEquals(List.of("only"), names(await(journal.children(ns, "/d", null, 9))));
    assertEquals(Map.of(new PropertyName("urn:x", "q"), "on-s"), props("/d"));
    assertEquals(3, info().usedBytes());
    commit(new Mkdir("/d/e"));
    commit(put("/d/e/f", 1));
    assertEquals(Map.of(), props("/d/e/f"));
  }

  // ---- copy

  @Test
  void copyOfAFileDuplicatesContentAndProperties() {
    JournalRow first = commit(put("/a", 6));
    patch("/a", "", "p", "v");
    clock.advance(Duration.ofSeconds(5));
    JournalRow row = commit(new Copy("/a", "/b", false, false));
    assertEquals(
        new JournalRow(ns, 2, ChangeKind.COPY, "/a", "/b", 0, null, Blocklist.EMPTY, null,
            "alice", clock.instant()),
        row);
    Entry a = entry("/a");
    assertEquals(1, a.version());
    Entry b = entry("/b");
    assertNotEquals(a.fileId(), b.fileId(), "a copy is a new file");
    assertEquals(new Entry("/b", EntryKind.FILE, 6, first.at(), a.contentHash(), a.blocklist(),
        2, clock.instant(), b.fileId(), 2, 6), b);
    assertEquals(Map.of(new PropertyName("", "p"), "v"), props("/b"));
    assertEquals(12, info().usedBytes());
  }

  @Test
  void recursiveCopyDuplicatesTheSubtree() {
    buildTree();
    JournalRow row = commit(new Copy("/d", "/c", false, true));
    for (String p : List.of("/c", "/c/e", "/c/e/f", "/c/g")) {
      assertEquals(row.jid(), entry(p).version(), p);
    }
    assertEquals(4, entry("/d/g").version());
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-f"), props("/c/e/f"));
    assertEquals(30, info().usedBytes());
  }

  @Test
  void nonRecursiveCopyOfADirectoryCopiesItAlone() {
    buildTree();
    commit(new Copy("/d", "/c", false, false));
    assertEquals(EntryKind.DIRECTORY, entry("/c").kind());
    assertEquals(List.of(), await(journal.children(ns, "/c", null, 10)));
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-d"), props("/c"));
    assertEquals(15, info().usedBytes());
  }

  @Test
  void copyFollowsTheMoveRulesForSourceAndDestination() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    commit(put("/f", 1));
    assertEquals(NOT_FOUND, kind(new Copy("/nope", "/x", false, true)));
    assertEquals(CONFLICT, kind(new Copy("/d", "/d", true, true)));
    assertEquals(CONFLICT, kind(new Copy("/d", "/d/e/x", false, true)));
    assertEquals(CONFLICT, kind(new Copy("/d", "/d/x", false, false)));
    assertEquals(CONFLICT, kind(new Copy("/d/e", "/d", true, true)));
    assertEquals(CONFLICT, kind(new Copy("/f", "/missing/f", false, true)));
    assertEquals(CONFLICT, kind(new Copy("/d", "/f/x", false, true)));
    assertEquals(PRECONDITION_FAILED, kind(new Copy("/f", "/d", false, true)));
    assertEquals(3, info().lastJid());
  }

  @Test
  void copyWithOverwriteReplacesTheDestinationSubtree() {
    buildTree();
    commit(put("/f", 2));
    patch("/f", "", "old", "x");
    commit(new Copy("/d", "/f", true, true));
    assertEquals(List.of("e", "g"), names(await(journal.children(ns, "/f", null, 9))));
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-d"), props("/f"));
    assertEquals(30, info().usedBytes());
    commit(new Copy("/f/g", "/d", true, false));
    assertEquals(EntryKind.FILE, entry("/d").kind());
    assertNull(entry("/d/e/f"));
    assertEquals(Map.of(), props("/d"));
    assertEquals(20, info().usedBytes());
  }

  @Test
  void copiesAreIndependentOfTheirSource() {
    commit(put("/a", 4));
    patch("/a", "", "p", "1");
    commit(new Copy("/a", "/b", false, true));
    patch("/b", "", "p", "2");
    commit(put("/a", 9));
    assertEquals(Map.of(new PropertyName("", "p"), "1"), props("/a"));
    assertEquals(4, entry("/b").size());
    commit(new Delete("/a", Expect.ANY));
    assertEquals(Map.of(new PropertyName("", "p"), "2"), props("/b"));
    assertEquals(4, info().usedBytes());
  }

  // ---- paging

  @Test
  void childrenPageThroughAThousandChildren() {
    List<Change> puts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      puts.add(put(String.format("/n%04d", i), 1));
    }
    commitConcurrently(puts, 64);
    List<String> all = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 200; page++) {
      List<Entry> got = await(journal.children(ns, "/", after, 7));
      got.forEach(e -> all.add(e.name()));
      if (got.size() < 7) {
        break;
      }
      after = got.get(got.size() - 1).name();
    }
    List<String> expected = LongStream.range(0, 1000).mapToObj(i -> String.format("n%04d", i))
        .toList();
    assertEquals(expected, all);
    assertEquals(List.of("n0501", "n0502"), names(await(journal.children(ns, "/", "n0500x", 2))));
    assertEquals(List.of(), await(journal.children(ns, "/", "n0999", 10)));
    assertEquals(1000, await(journal.children(ns, "/", null, 5000)).size());
  }

  @Test
  void childrenPageThroughTenThousandChildren() {
    commit(new Mkdir("/big"));
    List<Change> puts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      puts.add(new Mkdir("/big/" + Integer.toString(i * 7919 % 10_000, 36) + "\u00e9"));
    }
    commitConcurrently(puts, 128);
    List<String> all = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 20; page++) {
      List<Entry> got = await(journal.children(ns, "/big", after, 1000));
      got.forEach(e -> all.add(e.name()));
      if (got.size() < 1000) {
        break;
      }
      after = got.get(got.size() - 1).name();
    }
    assertEquals(10_000, all.size());
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(JournalContractTest::compareCodePoints);
    assertEquals(sorted, all);
    assertEquals(10_000, java.util.Set.copyOf(all).size());
    assertEquals(10_001, info().lastJid());
  }

  // ---- concurrency

  @Test
  void sixteenConcurrentCommitsTakeContiguousJidsInCommitOrder() {
    commit(new Mkdir("/c"));
    long last = info().lastJid();
    List<Future<JournalRow>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Change c = i % 2 == 0 ? put("/c/f" + i, i + 1) : new Mkdir("/c/d" + i);
      futures.add(journal.commit(ns, c, "user" + i));
    }
    List<JournalRow> rows = futures.stream().map(JournalTestSupport::await).toList();
    List<Long> got = rows.stream().map(JournalRow::jid).sorted().toList();
    assertEquals(LongStream.rangeClosed(last + 1, last + 16).boxed().toList(), got);
    List<JournalRow> changes = await(journal.changes(ns, last, 100));
    assertEquals(got, jids(changes));
    for (JournalRow r : rows) {
      assertEquals(r, changes.get((int) (r.jid() - last - 1)));
      assertEquals(r.jid(), entry(r.path()).version());
    }
    assertEquals(new NamespaceInfo(ns, last + 16, 1 + 3 + 5 + 7 + 9 + 11 + 13 + 15), info());
  }

  @Test
  void concurrentOverwritesOfOneVersionLetExactlyOneWin() {
    for (int round = 0; round < 5; round++) {
      long version = commit(put("/f", 1, "base" + round, Expect.ANY)).jid();
      Expect expect = Expect.version(version);
      Future<JournalRow> x = journal.commit(ns, put("/f", 2, "x" + round, expect), "x");
      Future<JournalRow> y = journal.commit(ns, put("/f", 3, "y" + round, expect), "y");
      CairnException.Kind kx = outcome(x);
      CairnException.Kind ky = outcome(y);
      assertTrue((kx == null) != (ky == null), "exactly one must win: " + kx + " / " + ky);
      assertEquals(PRECONDITION_FAILED, kx == null ? ky : kx);
      JournalRow won = await(kx == null ? x : y);
      assertEquals(version + 1, won.jid());
      assertEquals(won.contentHash(), entry("/f").contentHash());
      assertEquals(version + 1, info().lastJid());
    }
  }

  @Test
  void failingCommitsAmongConcurrentOnesLeaveTheOthersAlone() {
    List<Future<JournalRow>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Change c = i % 2 == 0 ? put("/ok" + i, 1) : put("/missing/f" + i, 1);
      futures.add(journal.commit(ns, c, null));
    }
    List<Long> won = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      CairnException.Kind k = outcome(futures.get(i));
      assertEquals(i % 2 == 0 ? null : CONFLICT, k, "commit " + i);
      if (k == null) {
        won.add(await(futures.get(i)).jid());
      }
    }
    assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), won.stream().sorted().toList());
    assertEquals(new NamespaceInfo(ns, 20, 20), info());
    assertEquals(20, await(journal.children(ns, "/", null, 100)).size());
  }

  @Test
  void interleavedCommitsToTwoNamespacesKeepEachContiguous() {
    String other = newNamespace();
    await(journal.createNamespace(other));
    List<Future<JournalRow>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(journal.commit(i % 2 == 0 ? ns : other, new Mkdir("/d" + i), null));
    }
    futures.forEach(JournalTestSupport::await);
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(),
        jids(await(journal.changes(ns, 0, 100))));
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(),
        jids(await(journal.changes(other, 0, 100))));
  }

  // ---- durability

  @Test
  void committedChangesSurviveReopening() throws Exception {
    buildTree();
    commit(new Move("/d/g", "/g", false, Expect.ANY));
    List<JournalRow> rows = await(journal.changes(ns, 0, 100));
    NamespaceInfo before = info();
    Entry f = entry("/d/e/f");
    journal.close();
    journal = track(reopen(clock));
    assertEquals(before, info());
    assertEquals(rows, await(journal.changes(ns, 0, 100)));
    assertEquals(f, entry("/d/e/f"));
    assertEquals(Map.of(new PropertyName("urn:x", "p"), "on-d"), props("/d"));
    assertEquals(List.of("d", "g"), names(await(journal.children(ns, "/", null, 10))));
    Instant later = clock.instant().plusSeconds(1);
    clock.advance(Duration.ofSeconds(1));
    JournalRow next = commit(put("/n", 1));
    assertEquals(before.lastJid() + 1, next.jid());
    assertEquals(later, next.at());
  }

  /** Commits all changes, at most {@code window} in flight at once; each must succeed. */
  protected void commitConcurrently(List<Change> changes, int window) {
    List<Future<JournalRow>> inFlight = new ArrayList<>();
    for (Change c : changes) {
      inFlight.add(journal.commit(ns, c, null));
      if (inFlight.size() == window) {
        inFlight.forEach(JournalTestSupport::await);
        inFlight.clear();
      }
    }
    inFlight.forEach(JournalTestSupport::await);
  }

  @Test
  void aPutsPropertyChangesCommitWithIt() {
    PropertyName digest = new PropertyName("urn:s", "d");
    commit(new Change.Put("/f", 1, "h1", Blocklist.EMPTY, null, Expect.ANY,
        List.of(new PropertyChange(digest, "one"))));
    assertEquals(Map.of(digest, "one"), props("/f"));
    long before = info().lastJid();
    assertEquals(PRECONDITION_FAILED, kind(new Change.Put("/f", 1, "h2", Blocklist.EMPTY, null,
        Expect.ABSENT, List.of(new PropertyChange(digest, "two")))));
    assertEquals(Map.of(digest, "one"), props("/f"), "a refused put changes no property");
    assertEquals(before, info().lastJid());
    commit(new Change.Put("/f", 1, "h3", Blocklist.EMPTY, null, Expect.ANY, List.of(new PropertyChange(digest, null))));
    assertTrue(props("/f").isEmpty(), "and a put may remove one");
  }

  @Test
  void thePropertiesOfManyPathsComeInOneReadEachPathWithItsOwn() {
    PropertyName a = new PropertyName("urn:x", "a");
    PropertyName b = new PropertyName("", "b");
    commit(new Change.Mkdir("/d"));
    commit(put("/d/one", 1));
    commit(put("/d/two", 1));
    commit(put("/d/none", 1));
    commit(put("/d/it's \"odd\" \\ name", 1));
    await(journal.patchProperties(ns, "/d/one", List.of(new PropertyChange(a, "1a"), new PropertyChange(b, "1b"))));
    await(journal.patchProperties(ns, "/d/two", List.of(new PropertyChange(a, "2a"))));
    await(journal.patchProperties(ns, "/d/it's \"odd\" \\ name", List.of(new PropertyChange(b, "odd"))));
    String other = newNamespace();
    await(journal.createNamespace(other));
    await(journal.commit(other, new Change.Mkdir("/d"), "bob"));
    await(journal.commit(other, put("/d/one", 1), "bob"));
    await(journal.patchProperties(other, "/d/one", List.of(new PropertyChange(a, "elsewhere"))));
    List<String> paths = List.of("/d/one", "/d/two", "/d/none", "/d/missing", "/d/it's \"odd\" \\ name");
    assertEquals(Map.of(
        "/d/one", Map.of(a, "1a", b, "1b"),
        "/d/two", Map.of(a, "2a"),
        "/d/it's \"odd\" \\ name", Map.of(b, "odd")), await(journal.properties(ns, paths, null)));
    assertEquals(Map.of(
        "/d/one", Map.of(b, "1b"),
        "/d/it's \"odd\" \\ name", Map.of(b, "odd")), await(journal.properties(ns, paths, "urn:x")),
        "without the hidden namespace's, and without a path left with none");
    assertEquals(Map.of(), await(journal.properties(ns, List.of(), null)));
  }

  @Test
  void thePropertiesOfManyPathsAreFoundWhateverCharactersTheirNamesHold() {
    // U+FF21 comes before U+1F600 in code point (and UTF-8, SQLite's) order, after it in UTF-16's.
    PropertyName a = new PropertyName("urn:x", "a");
    String wide = "/d/\uFF21";
    String astral = "/d/\uD83D\uDE00";
    commit(new Change.Mkdir("/d"));
    commit(put(wide, 1));
    commit(put(astral, 1));
    await(journal.patchProperties(ns, astral, List.of(new PropertyChange(a, "smile"))));
    assertEquals(Map.of(astral, Map.of(a, "smile")), await(journal.properties(ns, List.of(wide, astral), null)));
    assertEquals(Map.of(astral, Map.of(a, "smile")), await(journal.properties(ns, List.of(astral, wide), null)));
    assertEquals(Map.of(), await(journal.properties(ns, List.of(wide), null)));
  }

  @Test
  void aPagesPropertiesLeaveOutThoseOfItsChildrensDescendantsAndOfSiblingsNotAsked() {
    PropertyName a = new PropertyName("urn:x", "a");
    PropertyName digest = new PropertyName("urn:hidden", "digest");
    commit(new Change.Mkdir("/d"));
    commit(new Change.Mkdir("/d/b"));
    commit(new Change.Mkdir("/d/b/deep"));
    for (String p : List.of("/d/a", "/d/b/x", "/d/b/deep/y", "/d/c", "/d/e", "/d/b-c", "/e")) {
      commit(put(p, 1));
      await(journal.patchProperties(ns, p, List.of(new PropertyChange(digest, "h" + p))));
    }
    for (String p : List.of("/d/a", "/d/b/x", "/d/b/deep/y", "/d/c", "/d/b-c", "/e")) {
      await(journal.patchProperties(ns, p, List.of(new PropertyChange(a, "v" + p))));
    }
    await(journal.patchProperties(ns, "/d/b", List.of(new PropertyChange(a, "v/d/b"))));
    List<String> page = List.of("/d/a", "/d/b", "/d/e");
    assertEquals(Map.of("/d/a", Map.of(a, "v/d/a"), "/d/b", Map.of(a, "v/d/b")),
        await(journal.properties(ns, page, "urn:hidden")),
        "not /d/b's descendants', not /d/b-c's or /d/c's (between them, not asked), not the hidden");
    assertEquals(Map.of("/d/a", Map.of(a, "v/d/a", digest, "h/d/a"), "/d/b", Map.of(a, "v/d/b"),
            "/d/e", Map.of(digest, "h/d/e")),
        await(journal.properties(ns, page, null)));
    assertEquals(Map.of("/d/b/deep/y", Map.of(a, "v/d/b/deep/y"), "/e", Map.of(a, "v/e"),
            "/d/c", Map.of(a, "v/d/c")),
        await(journal.properties(ns, List.of("/e", "/d/b/deep/y", "/d/c", "/d/none"), "urn:hidden")),
        "paths of several folders");
  }
}
