package io.cairn.cluster.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cairn.core.Blocklist;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.JournalRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one committed row drops from the cache. Every folder above a changed path has a new tree
 * version and tree size (docs/adr/0009-file-ids-and-tree-etags.md), so its entry and every
 * listing that holds it must go, up to the root; folders beside them stay.
 */
class NamespaceCacheTest {
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
  private static final List<String> DIRS =
      List.of("/", "/a", "/a/b", "/a/b/c", "/x", "/x/y", "/side");

  private NamespaceCache cache;

  @BeforeEach
  void fillTheCache() {
    cache = new NamespaceCache(0, 1000);
    for (String d : DIRS) {
      cache.putEntry(0, d, dir(d));
      cache.putListing(0, d, null, 100, List.of());
      cache.putListing(0, d, "m", 100, List.of());
    }
    cache.putEntry(0, "/a/b/c/f", null);
  }

  private static Entry dir(String path) {
    return new Entry(path, EntryKind.DIRECTORY, 0, T, null, Blocklist.EMPTY, 0, T);
  }

  private static JournalRow row(ChangeKind kind, String path, String dest) {
    return new JournalRow("n", 1, kind, path, dest, 0, null, Blocklist.EMPTY, null, "u", T);
  }

  private void assertDropped(String path) {
    assertNull(cache.entry(0, path), "entry " + path);
    assertNull(cache.listing(0, path, null, 100), "listing " + path);
    assertNull(cache.listing(0, path, "m", 100), "second page of " + path);
  }

  private void assertKept(String path) {
    assertNotNull(cache.entry(0, path), "entry " + path);
    assertNotNull(cache.listing(0, path, null, 100), "listing " + path);
    assertNotNull(cache.listing(0, path, "m", 100), "second page of " + path);
  }

  @Test
  void aPutDeepDownDropsEveryAncestorsEntryAndListingsUpToTheRoot() {
    int dropped = cache.invalidate(row(ChangeKind.PUT, "/a/b/c/f", null));
    for (String d : List.of("/", "/a", "/a/b", "/a/b/c")) {
      assertDropped(d);
    }
    for (String d : List.of("/x", "/x/y", "/side")) {
      assertKept(d);
    }
    assertNull(cache.entry(0, "/a/b/c/f"));
    assertEquals(4 * 3 + 1, dropped, "four folders of three values each, and the file");
  }

  @Test
  void aMoveDropsTheAncestorsOfBothSides() {
    cache.invalidate(row(ChangeKind.MOVE, "/a/b/c", "/x/y/c"));
    for (String d : List.of("/", "/a", "/a/b", "/a/b/c", "/x", "/x/y")) {
      assertDropped(d);
    }
    assertKept("/side");
  }
}
