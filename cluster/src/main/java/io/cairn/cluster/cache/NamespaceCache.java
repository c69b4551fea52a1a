package io.cairn.cluster.cache;

import io.cairn.core.TreePaths;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.cairn.storage.ListedEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one node caches of one namespace, and the jid it is valid through: every commit up to
 * {@link #validThrough} has been applied as an invalidation, so a cached value read after that
 * commit is still what the journal holds. Guarded by its own monitor; every method is short.
 */
final class NamespaceCache {
  private final int capacity;
  private long validThrough;
  /** Entries by path; an empty Optional caches "nothing lives here". */
  private final NavigableMap<String, Optional<Entry>> entries = new TreeMap<>();
  /** Listings by directory path, then by (after, limit). */
  private final NavigableMap<String, Map<String, List<Entry>>> listings = new TreeMap<>();
  /**
   * Pages read without blocklists ({@link io.cairn.storage.Journal#listing}), by directory path,
   * then by (after, limit): apart from {@link #listings}, so that none answers a read of children.
   */
  private final NavigableMap<String, Map<String, List<ListedEntry>>> listedPages = new TreeMap<>();
  private int size;

  NamespaceCache(long validThrough, int capacity) {
    this.validThrough = validThrough;
    this.capacity = capacity;
  }

  synchronized long validThrough() {
    return validThrough;
  }

  /** The cached entry if valid at {@code jid}; null when not cached. */
  synchronized Optional<Entry> entry(long jid, String path) {
    return jid <= validThrough ? entries.get(path) : null;
  }

  synchronized List<Entry> listing(long jid, String path, String after, int limit) {
    if (jid > validThrough) {
      return null;
    }
    Map<String, List<Entry>> byPage = listings.get(path);
    return byPage == null ? null : byPage.get(pageKey(after, limit));
  }

  /**
   * The cached page without blocklists if valid at {@code jid}: a page of {@link #listedPages}, or
   * the same page of whole entries; null when neither is cached.
   */
  synchronized List<ListedEntry> listedPage(long jid, String path, String after, int limit) {
    if (jid > validThrough) {
      return null;
    }
    String key = pageKey(after, limit);
    Map<String, List<ListedEntry>> listed = listedPages.get(path);
    List<ListedEntry> page = listed == null ? null : listed.get(key);
    if (page != null) {
      return page;
    }
    Map<String, List<Entry>> whole = listings.get(path);
    List<Entry> entries = whole == null ? null : whole.get(key);
    return entries == null ? null : entries.stream().map(Entry::listed).toList();
  }

  /** Stores a value read after {@code jid} was seen current, unless a commit came in between. */
  synchronized void putEntry(long jid, String path, Entry entry) {
    if (jid == validThrough) {
      makeRoom();
      if (entries.put(path, Optional.ofNullable(entry)) == null) {
        size++;
      }
    }
  }

  synchronized void putListing(long jid, String path, String after, int limit, List<Entry> page) {
    if (jid == validThrough) {
      makeRoom();
      if (listings.computeIfAbsent(path, k -> new HashMap<>()).put(pageKey(after, limit), page)
          == null) {
        size++;
      }
    }
  }

  synchronized void putListedPage(long jid, String path, String after, int limit,
      List<ListedEntry> page) {
    if (jid == validThrough) {
      makeRoom();
      if (listedPages.computeIfAbsent(path, k -> new HashMap<>()).put(pageKey(after, limit), page)
          == null) {
        size++;
      }
    }
  }

  /**
   * Applies committed rows in jid order, then marks the cache valid through {@code through}.
   * Returns how many cached values were dropped.
   */
  synchronized int advance(List<JournalRow> rows, long through) {
    int dropped = 0;
    for (JournalRow row : rows) {
      dropped += invalidate(row);
    }
    validThrough = Math.max(validThrough, through);
    return dropped;
  }

  /** Forgets everything and restarts as valid through {@code through}. */
  synchronized int reset(long through) {
    int dropped = size;
    entries.clear();
    listings.clear();
    listedPages.clear();
    size = 0;
    validThrough = Math.max(validThrough, through);
    return dropped;
  }

  /** Drops what one committed row may have changed, whether it came from here or elsewhere. */
  synchronized int invalidate(JournalRow row) {
    int dropped = invalidateTree(row.path());
    if (row.dest() != null && row.kind() != ChangeKind.PUT) {
      dropped += invalidateTree(row.dest());
    }
    return dropped;
  }

  /**
   * The path, everything below it, and every ancestor's entry and listing up to the root: a
   * commit changes the tree version and tree size of every folder above what it changed, and a
   * listing holds its children's entries, each of which is such a folder or the changed path.
   */
  private int invalidateTree(String path) {
    int dropped =
        removeTree(entries, path) + removeTree(listings, path) + removeTree(listedPages, path);
    for (String p = path; !p.equals(TreePaths.ROOT); ) {
      p = TreePaths.parent(p);
      dropped += entries.remove(p) == null ? 0 : 1;
      Map<String, List<Entry>> pages = listings.remove(p);
      dropped += pages == null ? 0 : pages.size();
      Map<String, List<ListedEntry>> listed = listedPages.remove(p);
      dropped += listed == null ? 0 : listed.size();
    }
    size -= dropped;
    return dropped;
  }

  private static int removeTree(NavigableMap<String, ?> map, String path) {
    // Paths below "/a" sort between "/a/" and "/a0": '0' is the character after '/'.
    NavigableMap<String, ?> below =
        path.equals(TreePaths.ROOT) ? map : map.subMap(path + "/", true, path + "0", false);
    int n = 0;
    for (Object v : below.values()) {
      n += v instanceof Map<?, ?> pages ? pages.size() : 1;
    }
    below.clear();
    Object at = map.remove(path);
    if (at != null) {
      n += at instanceof Map<?, ?> pages ? pages.size() : 1;
    }
    return n;
  }

  private void makeRoom() {
    if (size >= capacity) {
      reset(validThrough);
    }
  }

  private static String pageKey(String after, int limit) {
    return limit + "/" + (after == null ? "" : "~" + after);
  }
}
