package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.ALREADY_EXISTS;
import static io.cairn.core.CairnException.Kind.CONFLICT;
import static io.cairn.core.CairnException.Kind.NOT_FOUND;
import static io.cairn.core.CairnException.Kind.PRECONDITION_FAILED;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.storage.Change.Copy;
import io.cairn.storage.Change.Delete;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.Change.Move;
import io.cairn.storage.Change.Put;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Journal} contract, run against every backend by a subclass that implements {@link
 * #createJournal} and {@link #reopen}. Each test gets a journal and a namespace of its own ({@link
 * #ns}, created empty). This half holds namespaces, the root, put, mkdir, delete, the journal's
 * queries, properties and names; {@link JournalContractBase} holds move, copy, paging, concurrency
 * and durability, so that a backend subclasses this one class and runs both.
 */
public abstract class JournalContractTest extends JournalMaintenanceContract {

  @Test
  void newNamespaceHasOnlyItsRoot() {
    assertEquals(new NamespaceInfo(ns, 0, 0), info());
    Entry root = entry("/");
    assertNotNull(root);
    assertEquals(EntryKind.DIRECTORY, root.kind());
    assertEquals(0, root.version());
    assertTrue(root.fileId() > 0, "the root has a file id");
    assertEquals(0, root.treeVersion());
    assertEquals(0, root.treeSize());
    assertEquals("/", root.path());
    assertEquals(List.of(), await(journal.children(ns, "/", null, 10)));
    assertEquals(List.of(), await(journal.changes(ns, 0, 10)));
  }

  @Test
  void creatingATakenNamespaceIsAlreadyExists() {
    assertFails(ALREADY_EXISTS, journal.createNamespace(ns));
  }

  @Test
  void everyCallOnAMissingNamespaceIsNotFound() {
    String missing = newNamespace();
    PropertyName p = new PropertyName("urn:x", "p");
    assertFails(NOT_FOUND, journal.namespace(missing));
    assertFails(NOT_FOUND, journal.commit(missing, new Mkdir("/a"), null));
    assertFails(NOT_FOUND, journal.entry(missing, "/"));
    assertFails(NOT_FOUND, journal.entry(missing, "/a"));
    assertFails(NOT_FOUND, journal.children(missing, "/", null, 10));
    assertFails(NOT_FOUND, journal.changes(missing, 0, 10));
    assertFails(NOT_FOUND, journal.history(missing, "/a", 10));
    assertFails(NOT_FOUND, journal.properties(missing, "/"));
    assertFails(
        NOT_FOUND, journal.patchProperties(missing, "/", List.of(new PropertyChange(p, "v"))));
  }

  @Test
  void authorsNameWhoMadeEachCommitAnEntryVersionNames() {
    long first = await(journal.commit(ns, put("/a", 5), "alice")).jid();
    long second = await(journal.commit(ns, put("/a", 6), "bob")).jid();
    long anonymous = await(journal.commit(ns, new Mkdir("/d"), null)).jid();
    assertEquals(second, entry("/a").version());
    assertEquals(Map.of(first, "alice", second, "bob"),
        await(journal.authors(ns, List.of(first, second, anonymous, 999_999L))), "no author, no commit: absent");
    assertEquals(Map.of(), await(journal.authors(ns, List.of())));
    String other = newNamespace();
    await(journal.createNamespace(other));
    assertEquals(Map.of(), await(journal.authors(other, List.of(first))), "a jid is its namespace's");
  }

  @Test
  void namespacesAreIndependent() {
    String other = newNamespace();
    await(journal.createNamespace(other));
    commit(put("/a", 5));
    assertEquals(1, await(journal.commit(other, new Mkdir("/b"), null)).jid());
    assertNull(await(journal.entry(other, "/a")));
    assertNull(entry("/b"));
    assertEquals(new NamespaceInfo(other, 1, 0), await(journal.namespace(other)));
    assertEquals(new NamespaceInfo(ns, 1, 5), info());
  }

  @Test
  void namespacesAreListedInCodePointOrderAndPageByName() {
    // Other tests may share the store: only names with this test's prefix are compared.
    String prefix = newNamespace() + "/";
    List<String> created = List.of(prefix + "B", prefix + "a", prefix + "\u00e9", prefix + "Z",
        prefix + "\uD83D\uDE00", prefix + "\uFFFD");
    for (String name : created) {
      await(journal.createNamespace(name));
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      List<String> page = await(journal.namespaces(after, 2));
      pages++;
      page.stream().filter(n -> n.startsWith(prefix)).forEach(seen::add);
      if (page.size() < 2) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    // Code point order puts the astral U+1F600 after U+FFFD, where UTF-16 order would not.
    assertEquals(List.of(prefix + "B", prefix + "Z", prefix + "a", prefix + "\u00e9",
        prefix + "\uFFFD", prefix + "\uD83D\uDE00"), seen);
    assertTrue(pages > 3, "listed in pages of two");
    assertTrue(await(journal.namespaces(null, 1_000_000)).contains(ns), "the test's own namespace");
    assertEquals(List.of(), await(journal.namespaces(prefix + "\uD83D\uDE00", 0)));
    assertEquals(List.of(prefix + "Z"), await(journal.namespaces(prefix + "B", 1)));
  }

  @Test
  void namespaceInfosListTheNamespacesInOrderWithTheCountersEachReadsAlone() {
    String prefix = newNamespace() + "/";
    for (String name : List.of(prefix + "b", prefix + "a", prefix + "\uFFFD", prefix + "\uD83D\uDE00")) {
      await(journal.createNamespace(name));
    }
    await(journal.commit(prefix + "b", put("/f", 7), "alice"));
    await(journal.commit(prefix + "b", put("/g", 5), "alice"));
    List<NamespaceInfo> seen = new ArrayList<>();
    String after = prefix;
    for (int pages = 0; pages < 10; pages++) {
      List<NamespaceInfo> page = await(journal.namespaceInfos(after, 2));
      page.stream().filter(n -> n.name().startsWith(prefix)).forEach(seen::add);
      if (page.size() < 2 || !page.getLast().name().startsWith(prefix)) {
        break;
      }
      after = page.getLast().name();
    }
    assertEquals(List.of(prefix + "a", prefix + "b", prefix + "\uFFFD", prefix + "\uD83D\uDE00"),
        seen.stream().map(NamespaceInfo::name).toList(), "the order of namespaces()");
    for (NamespaceInfo info : seen) {
      assertEquals(await(journal.namespace(info.name())), info);
    }
    assertEquals(new NamespaceInfo(prefix + "b", 2, 12), seen.get(1));
    assertEquals(List.of(), await(journal.namespaceInfos(prefix + "\uD83D\uDE00", 0)));
  }

  @Test
  void entriesByPathListEveryEntryInCodePointOrderAndPage() {
    commit(new Mkdir("/a"));
    commit(put("/a b", 1));
    commit(put("/a/x", 2));
    commit(new Mkdir("/a/\u00e9"));
    commit(put("/a/\u00e9/\uD83D\uDE00", 3));
    commit(put("/a/\uFFFD", 4));
    commit(put("/b", 5));
    commit(new Delete("/b", Expect.ANY));
    List<String> seen = new ArrayList<>();
    String after = null;
    while (true) {
      List<Entry> page = await(journal.entriesByPath(ns, after, 2));
      page.forEach(e -> seen.add(e.path()));
      if (page.size() < 2) {
        break;
      }
      after = page.getLast().path();
    }
    // ' ' sorts before '/', so "/a b" comes between "/a" and what is below "/a"; no root, no "/b".
    assertEquals(List.of("/a", "/a b", "/a/x", "/a/\u00e9", "/a/\u00e9/\uD83D\uDE00", "/a/\uFFFD"), seen);
    assertEquals(entry("/a/x"), await(journal.entriesByPath(ns, "/a b", 1)).getFirst());
    assertEquals(List.of(), await(journal.entriesByPath(ns, null, 0)));
    String empty = newNamespace();
    await(journal.createNamespace(empty));
    assertEquals(List.of(), await(journal.entriesByPath(empty, null, 10)));
    assertFails(NOT_FOUND, journal.entriesByPath(newNamespace(), null, 10));
  }

  @Test
  void invalidPathsFailWithConflictAndNeverThrow() {
    PropertyName p = new PropertyName("", "p");
    for (String bad : Arrays.asList(null, "", "a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a\0b")) {
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.commit(ns, put(bad, 1), null)));
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.commit(ns, new Mkdir(bad), null)));
      Delete delete = new Delete(bad, Expect.ANY);
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.commit(ns, delete, null)));
      assertFails(CONFLICT, journal.commit(ns, new Move(bad, "/x", false, Expect.ANY), null));
      assertFails(CONFLICT, journal.commit(ns, new Copy("/", bad, false, true), null));
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.entry(ns, bad)));
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.children(ns, bad, null, 5)));
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.history(ns, bad, 5)));
      assertFails(CONFLICT, assertDoesNotThrow(() -> journal.properties(ns, bad)));
      assertFails(
          CONFLICT,
          assertDoesNotThrow(
              () -> journal.patchProperties(ns, bad, List.of(new PropertyChange(p, "v")))));
    }
    commit(new Mkdir("/d"));
    assertFails(CONFLICT, journal.commit(ns, new Move("/d", "/x/", false, Expect.ANY), null));
    assertEquals(1, info().lastJid());
  }

  // ---- root

  @Test
  void rootCannotBeDeletedOverwrittenMovedOrCopied() {
    commit(new Mkdir("/d"));
    assertEquals(CONFLICT, kind(new Delete("/", Expect.ANY)));
    assertEquals(CONFLICT, kind(put("/", 3)));
    assertEquals(CONFLICT, kind(new Move("/", "/d/r", false, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Copy("/", "/d/r", false, false)));
    assertEquals(CONFLICT, kind(new Copy("/", "/d/r", false, true)));
    assertEquals(ALREADY_EXISTS, kind(new Mkdir("/")));
    assertEquals(1, info().lastJid());
    assertEquals(0, entry("/").version());
  }

  @Test
  void rootIsNeverADestination() {
    commit(new Mkdir("/d"));
    commit(put("/f", 1));
    assertEquals(CONFLICT, kind(new Move("/d", "/", true, Expect.ANY)));
    assertEquals(CONFLICT, kind(new Copy("/f", "/", true, true)));
    assertNotNull(entry("/d"));
    assertNotNull(entry("/f"));
  }

  @Test
  void childrenOfTheRootListTheTopLevelOnly() {
    commit(new Mkdir("/b"));
    commit(put("/a", 1));
    commit(put("/b/c", 1));
    assertEquals(List.of("a", "b"), names(await(journal.children(ns, "/", null, 10))));
  }

  // ---- put

  @Test
  void putCreatesAFileAndItsRow() {
    Instant mtime = Instant.parse("2020-01-01T00:00:00.123Z");
    Blocklist bl = blocks(4, "x", "y");
    JournalRow row = commit(new Put("/f", 8, "etag-1", bl, mtime, Expect.ANY));
    Instant now = clock.instant();
    assertEquals(
        new JournalRow(ns, 1, ChangeKind.PUT, "/f", null, 8, "etag-1", bl, mtime, "alice", now),
        row);
    Entry f = entry("/f");
    assertTrue(f.fileId() > 0, "a file id is positive");
    assertEquals(new Entry("/f", EntryKind.FILE, 8, mtime, "etag-1", bl, 1, now, f.fileId(), 1, 8),
        f);
    assertEquals(new NamespaceInfo(ns, 1, 8), info());
    assertEquals(List.of(row), await(journal.changes(ns, 0, 10)));
  }

  @Test
  void putWithoutMtimeTakesTheCommitTime() {
    clock.advance(Duration.ofSeconds(30));
    JournalRow row = commit(put("/f", 3));
    assertEquals(clock.instant(), row.at());
    assertEquals(clock.instant(), row.mtime());
    assertEquals(clock.instant(), entry("/f").mtime());
  }

  @Test
  void putOfAnEmptyFileHasAnEmptyBlocklist() {
    commit(new Put("/e", 0, "empty", Blocklist.EMPTY, null, Expect.ABSENT));
    Entry e = entry("/e");
    assertEquals(EntryKind.FILE, e.kind());
    assertEquals(0, e.size());
    assertTrue(e.blocklist().isEmpty());
  }

  @Test
  void putNeedsAnExistingDirectoryAsParent() {
    assertEquals(CONFLICT, kind(put("/missing/f", 1)));
    commit(put("/file", 1));
    assertEquals(CONFLICT, kind(put("/file/f", 1)));
    assertEquals(1, info().lastJid());
  }

  @Test
  void putOnADirectoryIsConflict() {
    commit(new Mkdir("/d"));
    assertEquals(CONFLICT, kind(put("/d", 1)));
    assertEquals(EntryKind.DIRECTORY, entry("/d").kind());
  }

  @Test
  void overwriteKeepsCreatedAndPropertiesAndTakesANewVersion() {
    commit(put("/f", 10));
    Instant created = clock.instant();
    long id = entry("/f").fileId();
    patch("/f", "urn:a", "p", "<v/>");
    clock.advance(Duration.ofMinutes(1));
    Blocklist bl = blocks(3, "new");
    JournalRow row = commit(new Put("/f", 3, "etag-2", bl, null, Expect.version(1)));
    assertEquals(2, row.jid());
    assertEquals(
        new Entry("/f", EntryKind.FILE, 3, clock.instant(), "etag-2", bl, 2, created, id, 2, 3),
        entry("/f"));
    assertEquals(Map.of(new PropertyName("urn:a", "p"), "<v/>"), props("/f"));
    assertEquals(3, info().usedBytes());
  }

  @Test
  void putExpectationsAreCheckedAgainstTheCurrentEntry() {
    assertEquals(PRECONDITION_FAILED, kind(put("/f", 1, "a", Expect.PRESENT)));
    assertEquals(PRECONDITION_FAILED, kind(put("/f", 1, "a", Expect.version(1))));
    commit(put("/f", 1, "a", Expect.ABSENT));
    assertEquals(PRECONDITION_FAILED, kind(put("/f", 2, "b", Expect.ABSENT)));
    assertEquals(PRECONDITION_FAILED, kind(put("/f", 2, "b", Expect.version(7))));
    assertEquals(PRECONDITION_FAILED, kind(put("/f", 2, "b", Expect.version(0))));
    commit(put("/f", 2, "b", Expect.version(1)));
    commit(put("/f", 3, "c", Expect.PRESENT));
    commit(put("/f", 4, "d", Expect.ANY));
    assertEquals(4, entry("/f").version());
    assertEquals("h-d", entry("/f").contentHash());
  }

  @Test
  void failedCommitsConsumeNoJid() {
    commit(put("/a", 1));
    assertEquals(CONFLICT, kind(put("/x/y", 1)));
    assertEquals(PRECONDITION_FAILED, kind(put("/a", 1, "z", Expect.ABSENT)));
    assertEquals(NOT_FOUND, kind(new Delete("/nope", Expect.ANY)));
    assertEquals(1, info().lastJid());
    assertEquals(2, commit(put("/b", 1)).jid());
    List<Long> jids = await(journal.changes(ns, 0, 10)).stream().map(JournalRow::jid).toList();
    assertEquals(List.of(1L, 2L), jids);
  }

  @Test
  void usedBytesFollowPutsOverwritesAndDeletes() {
    commit(put("/a", 100));
    commit(put("/b", 20));
    assertEquals(120, info().usedBytes());
    commit(put("/a", 30));
    assertEquals(50, info().usedBytes());
    commit(new Delete("/b", Expect.ANY));
    assertEquals(30, info().usedBytes());
  }

  // ---- mkdir

  @Test
  void mkdirCreatesADirectoryAndItsRow() {
    JournalRow row = commit(new Mkdir("/d"));
    Instant now = clock.instant();
    assertEquals(
        new JournalRow(ns, 1, ChangeKind.MKDIR, "/d", null, 0, null, Blocklist.EMPTY, null,
            "alice", now),
        row);
    Entry d = entry("/d");
    assertTrue(d.fileId() > 0, "a directory has a file id");
    assertEquals(
        new Entry("/d", EntryKind.DIRECTORY, 0, now, null, Blocklist.EMPTY, 1, now, d.fileId(), 1,
            0),
        d);
    assertEquals(0, info().usedBytes());
  }

  @Test
  void mkdirNeedsAnExistingDirectoryAsParent() {
    assertEquals(CONFLICT, kind(new Mkdir("/a/b")));
    commit(put("/f", 1));
    assertEquals(CONFLICT, kind(new Mkdir("/f/b")));
    assertEquals(1, info().lastJid());
  }

  @Test
  void mkdirOnAnExistingPathIsAlreadyExists() {
    commit(new Mkdir("/d"));
    commit(put("/f", 1));
    assertEquals(ALREADY_EXISTS, kind(new Mkdir("/d")));
    assertEquals(ALREADY_EXISTS, kind(new Mkdir("/f")));
    assertEquals(EntryKind.FILE, entry("/f").kind());
  }

  // ---- delete

  @Test
  void deleteRemovesAFileAndWritesARow() {
    commit(put("/f", 7));
    JournalRow row = commit(new Delete("/f", Expect.version(1)));
    assertEquals(
        new JournalRow(ns, 2, ChangeKind.DELETE, "/f", null, 0, null, Blocklist.EMPTY, null,
            "alice", clock.instant()),
        row);
    assertNull(entry("/f"));
    assertEquals(new NamespaceInfo(ns, 2, 0), info());
  }

  @Test
  void deleteOfAMissingPathIsNotFound() {
    assertEquals(NOT_FOUND, kind(new Delete("/f", Expect.ANY)));
    commit(new Mkdir("/d"));
    assertEquals(NOT_FOUND, kind(new Delete("/d/f", Expect.ANY)));
  }

  @Test
  void deleteChecksItsExpectation() {
    commit(put("/f", 7));
    assertEquals(PRECONDITION_FAILED, kind(new Delete("/f", Expect.version(9))));
    assertEquals(PRECONDITION_FAILED, kind(new Delete("/f", Expect.ABSENT)));
    assertNotNull(entry("/f"));
    commit(new Delete("/f", Expect.PRESENT));
    assertNull(entry("/f"));
  }

  @Test
  void deleteRemovesTheSubtreeAndItsProperties() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    commit(put("/d/e/f", 10));
    commit(put("/d/g", 5));
    commit(put("/h", 1));
    patch("/d", "", "p", "1");
    patch("/d/e/f", "", "p", "2");
    commit(new Delete("/d", Expect.ANY));
    for (String p : List.of("/d", "/d/e", "/d/e/f", "/d/g")) {
      assertNull(entry(p), p);
    }
    assertEquals(1, info().usedBytes());
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    commit(put("/d/e/f", 1));
    assertEquals(Map.of(), props("/d"));
    assertEquals(Map.of(), props("/d/e/f"));
  }

  @Test
  void deleteLeavesSiblingsWithSimilarNamesAlone() {
    commit(new Mkdir("/a"));
    commit(put("/a/x", 1));
    for (String sibling : List.of("/a-", "/a.b", "/a0", "/ab", "/a_", "/a%", "/a b", "/a\u00e9")) {
      commit(put(sibling, 1));
    }
    commit(new Delete("/a", Expect.ANY));
    assertEquals(
        List.of("a b", "a%", "a-", "a.b", "a0", "a_", "ab", "a\u00e9"),
        names(await(journal.children(ns, "/", null, 100))));
    assertEquals(8, info().usedBytes());
  }

  // ---- history and changes

  @Test
  void changesAreAscendingAfterTheCursorAndLimited() {
    for (int i = 0; i < 7; i++) {
      commit(put("/f" + i, 1));
    }
    List<JournalRow> all = await(journal.changes(ns, 0, 100));
    assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(), jids(all));
    assertEquals(List.of(3L, 4L), jids(await(journal.changes(ns, 2, 2))));
    assertEquals(List.of(), await(journal.changes(ns, 7, 10)));
    assertEquals(all.subList(5, 7), await(journal.changes(ns, 5, 10)));
  }

  @Test
  void historyListsRowsNamingThePathNewestFirst() {
    commit(put("/a", 1));
    commit(put("/b", 1));
    commit(new Move("/a", "/c", false, Expect.ANY));
    commit(new Copy("/b", "/a", false, false));
    commit(put("/a", 2));
    commit(new Delete("/a", Expect.ANY));
    assertEquals(List.of(6L, 5L, 4L, 3L, 1L), jids(await(journal.history(ns, "/a", 10))));
    assertEquals(List.of(6L, 5L), jids(await(journal.history(ns, "/a", 2))));
    assertEquals(List.of(3L), jids(await(journal.history(ns, "/c", 10))));
    assertEquals(List.of(), await(journal.history(ns, "/zz", 10)));
  }

  // ---- properties

  @Test
  void propertiesOfAMissingPathAreNotFound() {
    PropertyChange set = new PropertyChange(new PropertyName("", "p"), "v");
    assertFails(NOT_FOUND, journal.properties(ns, "/nope"));
    assertFails(NOT_FOUND, journal.patchProperties(ns, "/nope", List.of(set)));
  }

  @Test
  void patchAppliesChangesInOrderAndKeepsValuesVerbatim() {
    commit(put("/f", 1));
    PropertyName a = new PropertyName("urn:x", "a");
    PropertyName aOther = new PropertyName("urn:y", "a");
    PropertyName b = new PropertyName("", "b");
    String xml = "<x:v xmlns:x=\"urn:x\">caf\u00e9 &amp; <![CDATA[<]]></x:v>";
    await(
        journal.patchProperties(
            ns,
            "/f",
            List.of(
                new PropertyChange(a, "1"),
                new PropertyChange(aOther, xml),
                new PropertyChange(b, "gone"),
                new PropertyChange(b, null),
                new PropertyChange(a, "2"))));
    assertEquals(Map.of(a, "2", aOther, xml), props("/f"));
    await(journal.patchProperties(ns, "/f", List.of(new PropertyChange(a, null),
        new PropertyChange(b, ""), new PropertyChange(a, "3"), new PropertyChange(aOther, null))));
    assertEquals(Map.of(a, "3", b, ""), props("/f"));
    await(journal.patchProperties(ns, "/f", List.of(new PropertyChange(aOther, null))));
    assertEquals(Map.of(a, "3", b, ""), props("/f"));
  }

  @Test
  void patchWritesNoJournalRowAndWorksOnTheRoot() {
    patch("/", "urn:x", "quota", "5");
    assertEquals(Map.of(new PropertyName("urn:x", "quota"), "5"), props("/"));
    assertEquals(0, info().lastJid());
    assertEquals(0, entry("/").version());
  }

  @Test
  void propertiesAreKeptPerPath() {
    commit(put("/a", 1));
    commit(put("/ab", 1));
    patch("/a", "", "p", "a");
    assertEquals(Map.of(), props("/ab"));
    assertEquals(Map.of(new PropertyName("", "p"), "a"), props("/a"));
  }

  // ---- names

  @Test
  void nfcAndNfdFormsAreDifferentNames() {
    String nfc = "/caf\u00e9";
    String nfd = "/cafe\u0301";
    commit(put(nfc, 1));
    assertNull(entry(nfd));
    commit(put(nfd, 2));
    assertEquals(1, entry(nfc).size());
    assertEquals(2, entry(nfd).size());
    commit(new Delete(nfd, Expect.ANY));
    assertNotNull(entry(nfc));
    assertEquals(List.of("caf\u00e9"), names(await(journal.children(ns, "/", null, 10))));
  }

  @Test
  void childrenAreOrderedByCodePoint() {
    List<String> names =
        List.of("\ud83d\ude00", "\ufffd", "a", "Z", "_", "%", " x", "e\u0301", "\u00e9", "a b",
            "10", "9", "A", "\u4e2d");
    for (String n : names) {
      commit(put("/" + n, 1));
    }
    TreeSet<String> byCodePoint = new TreeSet<>(JournalContractTest::compareCodePoints);
    byCodePoint.addAll(names);
    List<String> expected = new ArrayList<>(byCodePoint);
    assertEquals(expected, names(await(journal.children(ns, "/", null, 100))));
    // U+FFFD sorts before the emoji by code point, after it by UTF-16 unit.
    assertTrue(expected.indexOf("\ufffd") < expected.indexOf("\ud83d\ude00"));
    List<String> paged = new ArrayList<>();
    String after = null;
    for (int i = 0; i < 20; i++) {
      List<Entry> page = await(journal.children(ns, "/", after, 3));
      page.forEach(e -> paged.add(e.name()));
      if (page.size() < 3) {
        break;
      }
      after = page.get(2).name();
    }
    assertEquals(expected, paged);
  }

  @Test
  void childrenOfAMissingPathOrAFileFail() {
    commit(put("/f", 1));
    assertFails(NOT_FOUND, journal.children(ns, "/nope", null, 10));
    assertFails(CONFLICT, journal.children(ns, "/f", null, 10));
  }

  @Test
  void childrenListDirectChildrenOnly() {
    commit(new Mkdir("/d"));
    commit(new Mkdir("/d/e"));
    commit(put("/d/e/f", 1));
    commit(put("/d/g", 4));
    List<Entry> kids = await(journal.children(ns, "/d", null, 10));
    assertEquals(List.of("/d/e", "/d/g"), kids.stream().map(Entry::path).toList());
    assertEquals(entry("/d/g"), kids.get(1));
    assertEquals(entry("/d/e"), kids.get(0));
  }

  /** Unicode code point order, what children() promises ("\uFFFD" before an emoji). */
  static int compareCodePoints(String a, String b) {
    return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  static Set<String> namesOf(List<Entry> entries) {
    return entries.stream().map(Entry::name).collect(Collectors.toSet());
  }
}
