package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The trash and history across renames, as every front inherits them from {@link FileService}:
 * a deleted folder comes back whole with the same bytes, only where nothing is in the way, only
 * for callers who can see it; history and restore reach versions from before a rename. Not run on
 * its own: backends subclass {@link FileServiceContract}.
 */
abstract class FileServiceTrashContract extends StagedUploadsContract {
  private static final int FILES = 100;

  /** The SHA-256 of the file's content, downloaded. */
  private String sha256(Caller c, FilePath p) throws IOException {
    Entry e = files.entry(c, p);
    assertNotNull(e, p + " exists");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.download(e, 0, e.size(), out);
    return sha256(out.toByteArray());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException ex) {
      throw new AssertionError(ex);
    }
  }

  /** A folder of {@link #FILES} files of a few chunks each, half of them in a subfolder; path → SHA-256. */
  private Map<String, String> project(Caller c, String root) throws IOException {
    files.mkdir(c, new FilePath(c.home(), root));
    files.mkdir(c, new FilePath(c.home(), root + "/sub"));
    Map<String, String> sums = new TreeMap<>();
    for (int i = 0; i < FILES; i++) {
      String rel = (i % 2 == 0 ? "/f" : "/sub/f") + i + ".txt";
      FilePath p = new FilePath(c.home(), root + rel);
      String text = ("file " + i + " ").repeat(20 + i * 3);
      put(c, p, text);
      sums.put(rel, sha256(text.getBytes(StandardCharsets.UTF_8)));
    }
    return sums;
  }

  private Map<String, String> sumsUnder(Caller c, String root, Map<String, String> like) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String rel : like.keySet()) {
      out.put(rel, sha256(c, new FilePath(c.home(), root + rel)));
    }
    return out;
  }

  @Test
  void emptyingTheTrashOfAFolderEndsRestoresThereOnlyAndNeedsWriteAccess() throws IOException {
    files.mkdir(bob, new FilePath(BOB, "/a"));
    put(bob, new FilePath(BOB, "/a/x.txt"), "x");
    put(bob, new FilePath(BOB, "/y.txt"), "y");
    JournalRow x = files.delete(bob, new FilePath(BOB, "/a/x.txt"), Expect.ANY);
    JournalRow y = files.delete(bob, new FilePath(BOB, "/y.txt"), Expect.ANY);
    put(bob, new FilePath(DOCS, "/d.txt"), "d");
    files.delete(bob, new FilePath(DOCS, "/d.txt"), Expect.ANY);
    refused(CairnException.Kind.FORBIDDEN, () -> files.emptyTrash(alice, new FilePath(DOCS, "/")));
    refused(CairnException.Kind.FORBIDDEN, () -> files.emptyTrash(bob, new FilePath(DOCS, "/"))); // others' deletions

    assertEquals(1, files.emptyTrash(bob, new FilePath(BOB, "/a")));
    assertEquals(List.of("/y.txt"), files.trash(bob, new FilePath(BOB, "/"), 10).stream().map(TrashItem::path).toList());
    refused(CairnException.Kind.GONE, () -> files.restoreFromTrash(bob, new FilePath(BOB, "/a/x.txt"), x.jid(), null));
    files.restoreFromTrash(bob, new FilePath(BOB, "/y.txt"), y.jid(), null);
    assertEquals(1, files.trash(alice, new FilePath(DOCS, "/"), 10).size(), "the read-only share's trash is whole");
  }

  @Test
  void aDeletedFolderOfAHundredFilesComesBackWithTheSameBytes() throws IOException {
    Map<String, String> sums = project(bob, "/project");
    JournalRow deleted = files.delete(bob, new FilePath(BOB, "/project"), Expect.ANY);
    assertNull(files.entry(bob, new FilePath(BOB, "/project")));

    List<TrashItem> trash = files.trash(bob, new FilePath(BOB, "/"), 10);
    assertEquals(1, trash.size());
    TrashItem item = trash.getFirst();
    assertEquals("/project", item.path());
    assertEquals(deleted.jid(), item.jid());
    assertEquals(EntryKind.DIRECTORY, item.kind());
    assertEquals(FILES, item.files());
    assertEquals("bob", item.author());

    files.restoreFromTrash(bob, new FilePath(BOB, "/project"), item.jid(), null);
    assertEquals(sums, sumsUnder(bob, "/project", sums), "every file back with the same bytes");
    files.restoreFromTrash(bob, new FilePath(BOB, "/project"), item.jid(), new FilePath(BOB, "/again"));
    assertEquals(sums, sumsUnder(bob, "/again", sums), "restored once more, elsewhere");
    assertEquals(List.of("again", "project"),
        files.children(bob, new FilePath(BOB, "/"), null, 10).stream().map(Entry::name).toList(),
        "no staging folder is left behind");

    long before = lastJid(BOB);
    refused(CairnException.Kind.PRECONDITION_FAILED,
        () -> files.restoreFromTrash(bob, new FilePath(BOB, "/project"), item.jid(), null));
    refused(CairnException.Kind.PRECONDITION_FAILED, () -> files.restoreFromTrash(
        bob, new FilePath(BOB, "/project"), item.jid(), new FilePath(BOB, "/again")));
    assertEquals(before, lastJid(BOB), "a refused restore commits nothing");
    assertEquals(sums, sumsUnder(bob, "/project", sums));
  }

  @Test
  void aFileOrAPartOfADeletedFolderComesBackAlone() throws IOException {
    put(bob, new FilePath(BOB, "/note.txt"), "a note");
    files.mkdir(bob, new FilePath(BOB, "/d"));
    put(bob, new FilePath(BOB, "/d/inner.txt"), "inner words");
    long noteGone = files.delete(bob, new FilePath(BOB, "/note.txt"), Expect.ANY).jid();
    long folderGone = files.delete(bob, new FilePath(BOB, "/d"), Expect.ANY).jid();
    assertEquals(List.of(folderGone, noteGone),
        files.trash(bob, new FilePath(BOB, "/"), 10).stream().map(TrashItem::jid).toList());

    files.restoreFromTrash(bob, new FilePath(BOB, "/note.txt"), noteGone, null);
    assertEquals("a note", read(bob, new FilePath(BOB, "/note.txt")));
    files.restoreFromTrash(bob, new FilePath(BOB, "/d/inner.txt"), folderGone, new FilePath(BOB, "/inner.txt"));
    assertEquals("inner words", read(bob, new FilePath(BOB, "/inner.txt")));
    refused(CairnException.Kind.NOT_FOUND,
        () -> files.restoreFromTrash(bob, new FilePath(BOB, "/note.txt"), folderGone, new FilePath(BOB, "/x")));
    refused(CairnException.Kind.NOT_FOUND,
        () -> files.restoreFromTrash(bob, new FilePath(BOB, "/note.txt"), 999_999, new FilePath(BOB, "/x")));
    refused(CairnException.Kind.NOT_FOUND,
        () -> files.restoreFromTrash(bob, new FilePath(BOB, "/"), folderGone, new FilePath(BOB, "/r")));
    refused(CairnException.Kind.CONFLICT, () -> files.restoreFromTrash(
        bob, new FilePath(BOB, "/note.txt"), noteGone, new FilePath(BOB, "/no/such/folder.txt")));
  }

  @Test
  void theTrashOfANamespaceOutsideTheViewIsNotFound() throws IOException {
    put(bob, new FilePath(BOB, "/secret.txt"), "bob's");
    long gone = files.delete(bob, new FilePath(BOB, "/secret.txt"), Expect.ANY).jid();
    long before = lastJid(BOB);
    refused(CairnException.Kind.NOT_FOUND, () -> files.trash(alice, new FilePath(BOB, "/"), 10));
    refused(CairnException.Kind.NOT_FOUND,
        () -> files.restoreFromTrash(alice, new FilePath(BOB, "/secret.txt"), gone, null));
    Caller stranger = new Caller("carol", "home:carol", -1);
    refused(CairnException.Kind.NOT_FOUND, () -> files.trash(stranger, new FilePath(BOB, "/"), 10));
    refused(CairnException.Kind.NOT_FOUND,
        () -> files.restoreFromTrash(stranger, new FilePath(BOB, "/secret.txt"), gone, null));
    assertEquals(before, lastJid(BOB));

    put(bob, new FilePath(DOCS, "/shared.txt"), "in docs");
    long docGone = files.delete(bob, new FilePath(DOCS, "/shared.txt"), Expect.ANY).jid();
    assertEquals(1, files.trash(alice, new FilePath(DOCS, "/"), 10).size(), "a reader sees a share's trash");
    refused(CairnException.Kind.FORBIDDEN,
        () -> files.restoreFromTrash(alice, new FilePath(DOCS, "/shared.txt"), docGone, null));
  }

  @Test
  void aRestoreMustFitTheQuota() throws IOException {
    put(alice, new FilePath(ALICE, "/big.bin"), "x".repeat(600));
    long gone = files.delete(alice, new FilePath(ALICE, "/big.bin"), Expect.ANY).jid();
    put(alice, new FilePath(ALICE, "/other.bin"), "y".repeat(500));
    long before = lastJid(ALICE);
    refused(CairnException.Kind.INSUFFICIENT_STORAGE,
        () -> files.restoreFromTrash(alice, new FilePath(ALICE, "/big.bin"), gone, null));
    assertEquals(before, lastJid(ALICE));
  }

  @Test
  void historyAndRestoreReachVersionsFromBeforeARename() throws IOException {
    FilePath draft = new FilePath(BOB, "/draft.txt");
    JournalRow v1 = put(bob, draft, "first words");
    JournalRow v2 = put(bob, draft, "second words");
    files.move(bob, draft, new FilePath(BOB, "/report.txt"), false, Expect.ANY);
    files.mkdir(bob, new FilePath(BOB, "/final"));
    FilePath report = new FilePath(BOB, "/final/report.txt");
    files.move(bob, new FilePath(BOB, "/report.txt"), report, false, Expect.ANY);
    JournalRow v3 = put(bob, report, "third words");

    List<Long> jids = files.history(bob, report, 100, 0).stream().map(JournalRow::jid).toList();
    assertEquals(v3.jid(), jids.getFirst());
    assertTrue(jids.containsAll(List.of(v1.jid(), v2.jid())), "versions from before the renames: " + jids);
    assertEquals(jids.subList(2, jids.size()),
        files.history(bob, report, 100, jids.get(1)).stream().map(JournalRow::jid).toList(), "paged");
    JournalRow first = files.version(bob, report, v1.jid());
    assertEquals("/draft.txt", first.path());
    assertEquals(v1.contentHash(), first.contentHash());
    refused(CairnException.Kind.NOT_FOUND, () -> files.version(bob, report, jids.get(1)));

    files.restore(bob, report, v1.jid(), Expect.ANY);
    assertEquals("first words", read(bob, report), "the version from before the renames, exactly");
    refused(CairnException.Kind.NOT_FOUND, () -> files.history(alice, report, 10, 0));
    refused(CairnException.Kind.NOT_FOUND, () -> files.version(alice, report, v1.jid()));
  }
}
