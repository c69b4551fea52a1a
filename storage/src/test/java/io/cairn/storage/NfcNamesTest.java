package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.TreePaths;
import io.cairn.storage.Change.Mkdir;
import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up rename of names stored before the WebDAV front normalized them: entries written
 * straight into a journal, bypassing the decoder, the way an older build stored what macOS sent.
 */
class NfcNamesTest extends JournalTestSupport {
  @TempDir Path dir;

  @Override
  protected Journal createJournal(Clock clock) {
    return SqliteJournal.open(dir.resolve("journal.db"), clock);
  }

  private static Entry entry(Journal j, String ns, String path) {
    return await(j.entry(ns, path));
  }

  private static void commit(Journal j, String ns, Change change) {
    await(j.commit(ns, change, "alice"));
  }

  private static List<String> children(Journal j, String ns, String path) {
    return await(j.children(ns, path, null, 100)).stream().map(Entry::name).toList();
  }

  @Test
  void nonNfcNamesMoveToNfcAndCollisionsAreKeptUnderAMarkedName() throws Exception {
    Journal j = track(createJournal(clock));
    String ns = newNamespace();
    String other = newNamespace();
    await(j.createNamespace(ns));
    await(j.createNamespace(other));
    // Only in NFD: becomes the NFC name, with its properties.
    commit(j, ns, put("/cafe\u0301.txt", 3, "mac", Expect.ANY));
    await(j.patchProperties(ns, "/cafe\u0301.txt",
        List.of(new PropertyChange(new PropertyName("urn:x", "tag"), "kept"))));
    // An NFD folder moves with what it holds; an NFD name inside it is renamed below the new one.
    commit(j, ns, new Mkdir("/re\u0301sume\u0301"));
    commit(j, ns, put("/re\u0301sume\u0301/cv.pdf", 5));
    commit(j, ns, put("/re\u0301sume\u0301/nai\u0308ve.txt", 6));
    // The same name twice, NFD from a Mac and NFC from Windows: never merged.
    commit(j, ns, put("/not\u00e9.txt", 7, "windows", Expect.ANY));
    commit(j, ns, put("/note\u0301.txt", 8, "mac", Expect.ANY));
    commit(j, ns, new Mkdir("/Bu\u0308ro.2024"));
    commit(j, ns, put("/Bu\u0308ro.2024/a", 1));
    commit(j, ns, new Mkdir("/B\u00fcro.2024"));
    commit(j, ns, put("/B\u00fcro.2024/b", 2));
    commit(j, other, put("/\u1100\u1161", 9)); // Hangul jamo, NFC: U+AC00
    Entry noteFromMac = entry(j, ns, "/note\u0301.txt");
    long lastJid = await(j.namespace(ns)).lastJid();

    NfcNames.Report report = await(NfcNames.migrate(j));

    assertEquals(new NfcNames.Report(4, 2), report);
    Entry cafe = entry(j, ns, "/caf\u00e9.txt");
    assertEquals(3, cafe.size());
    assertNull(entry(j, ns, "/cafe\u0301.txt"));
    assertEquals(Map.of(new PropertyName("urn:x", "tag"), "kept"), await(j.properties(ns, "/caf\u00e9.txt")));
    JournalRow rename = await(j.history(ns, "/caf\u00e9.txt", 1)).getFirst();
    assertEquals(ChangeKind.MOVE, rename.kind());
    assertEquals(NfcNames.AUTHOR, rename.author());

    assertEquals(List.of("cv.pdf", "na\u00efve.txt"), children(j, ns, "/r\u00e9sum\u00e9"));
    assertEquals(6, entry(j, ns, "/r\u00e9sum\u00e9/na\u00efve.txt").size());

    assertEquals(7, entry(j, ns, "/not\u00e9.txt").size());
    Entry kept = entry(j, ns, "/not\u00e9 (unicode-duplicate 1).txt");
    assertEquals(noteFromMac.contentHash(), kept.contentHash());
    assertEquals(noteFromMac.blocklist(), kept.blocklist());
    assertEquals(List.of("b"), children(j, ns, "/B\u00fcro.2024"));
    assertEquals(List.of("a"), children(j, ns, "/B\u00fcro.2024 (unicode-duplicate 1)"));

    assertEquals(9, entry(j, other, "/\uac00").size());
    assertEquals(lastJid + 5, await(j.namespace(ns)).lastJid());
    for (NamespacedPath p : allNonAsciiPaths(j)) {
      assertTrue(NfcNames.isNfc(p.path()), p.toString());
    }

    // A second start finds the step done; even run afresh there would be nothing left to move.
    j.close();
    Journal again = track(createJournal(clock));
    assertEquals(new NfcNames.Report(0, 0), await(NfcNames.migrate(again)));
    assertEquals(lastJid + 5, await(again.namespace(ns)).lastJid());
  }

  @Test
  void aJournalWithNothingToRenameIsOnlyMarkedDone() {
    Journal j = track(createJournal(clock));
    String ns = newNamespace();
    await(j.createNamespace(ns));
    commit(j, ns, put("/caf\u00e9.txt", 1));
    assertEquals(new NfcNames.Report(0, 0), await(NfcNames.migrate(j)));
    assertTrue(await(j.maintenanceDone(NfcNames.STEP)));
    assertEquals(1, await(j.namespace(ns)).lastJid());
  }

  @Test
  void collisionLogsSpellBothFormsOut() {
    assertEquals("/Bu\\u0308ro and /B\\u00fcro", NfcNames.escaped("/Bu\u0308ro") + " and " + NfcNames.escaped("/B\u00fcro"));
  }

  @Test
  void duplicateNamesKeepTheExtensionAndFitASegment() {
    assertEquals("caf\u00e9 (unicode-duplicate 1).txt", NfcNames.duplicateName("caf\u00e9.txt", false, 1));
    assertEquals("a.tar (unicode-duplicate 2).gz", NfcNames.duplicateName("a.tar.gz", false, 2));
    assertEquals(".hidden (unicode-duplicate 1)", NfcNames.duplicateName(".hidden", false, 1));
    assertEquals("v1.2 (unicode-duplicate 1)", NfcNames.duplicateName("v1.2", true, 1));
    String longName = "\u00e9".repeat(300) + ".txt";
    String marked = NfcNames.duplicateName(longName, false, 12);
    assertEquals(TreePaths.MAX_SEGMENT, marked.length());
    assertTrue(marked.endsWith(" (unicode-duplicate 12).txt"));
    String emoji = NfcNames.duplicateName("\ud83d\ude00".repeat(200), true, 1);
    assertTrue(emoji.length() <= TreePaths.MAX_SEGMENT);
    assertTrue(TreePaths.isValid("/" + emoji));
    assertTrue(!Character.isHighSurrogate(emoji.charAt(emoji.indexOf(" (") - 1)));
  }

  private static List<NamespacedPath> allNonAsciiPaths(Journal j) {
    List<NamespacedPath> out = new ArrayList<>();
    NamespacedPath after = null;
    List<NamespacedPath> page;
    do {
      page = await(j.nonAsciiPaths(after, 100));
      out.addAll(page);
      after = page.isEmpty() ? after : page.getLast();
    } while (page.size() == 100);
    return out;
  }
}
