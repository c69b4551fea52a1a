package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's limits on what one user request may create, held by {@link FileService} for every
 * front door alike (WebDAV, the sync API, the Nextcloud dialect, the web interface), each refused
 * with a {@link CairnException} whose kind carries the status: a file larger than {@code
 * maxUploadBytes} is TOO_LARGE (413); a new entry in a folder that already holds {@code
 * maxFolderEntries} is INSUFFICIENT_STORAGE (507, as a full quota: room is made by removing
 * something); a path more than {@code maxPathDepth} folders deep is FORBIDDEN (403, the request is
 * understood and will never be allowed); a new name longer than {@code maxNameLength} or path
 * longer than {@code maxPathLength} is INVALID (400, as a name past {@link TreePaths#MAX_SEGMENT}
 * or a path past {@link TreePaths#MAX_PATH} always is); a folder listing of more than {@code
 * maxListing} entries in one answer is INSUFFICIENT_STORAGE (507). 0 means no limit (for the
 * lengths: only the fixed ceilings of {@link TreePaths}).
 *
 * @param maxUploadBytes the largest file content a client may upload or commit, in bytes
 * @param maxFolderEntries the most files and folders one folder may hold
 * @param maxPathDepth the most names in a path ({@code /a/b/c.txt} has 3)
 * @param maxNameLength the longest name of a new file or folder, in characters (UTF-16 units)
 * @param maxPathLength the longest path of a new file or folder within its namespace, in characters
 * @param maxListing the most entries of one folder that one listing answer (a WebDAV PROPFIND of
 *     Depth 1) may hold; listings read a page at a time (the sync API's) are not concerned
 */
public record FileLimits(
    long maxUploadBytes, int maxFolderEntries, int maxPathDepth, int maxNameLength, int maxPathLength, int maxListing) {
  /** No limits: what a front built without them gets. */
  public static final FileLimits NONE = new FileLimits(0, 0, 0, 0, 0, 0);

  public FileLimits {
    if (maxUploadBytes < 0 || maxFolderEntries < 0 || maxPathDepth < 0 || maxNameLength < 0 || maxPathLength < 0
        || maxListing < 0) {
      throw new IllegalArgumentException("limits are 0 (none) or positive");
    }
  }

  /** TOO_LARGE when {@code bytes} of content are more than a file may hold. */
  void checkSize(long bytes) {
    if (maxUploadBytes > 0 && bytes > maxUploadBytes) {
      throw new CairnException(CairnException.Kind.TOO_LARGE,
          "a file may hold at most " + maxUploadBytes + " bytes on this server (" + bytes + " sent or announced)");
    }
  }

  /**
   * Refuses to create {@code p} where nothing lives yet: FORBIDDEN past the depth, INSUFFICIENT_STORAGE
   * when its folder is full. Counting a folder reads up to {@code maxFolderEntries} of its names.
   */
  void checkNewEntry(Journal journal, FilePath p) {
    if (p.isRoot()) {
      return;
    }
    if (maxPathDepth > 0 && depth(p.path()) > maxPathDepth) {
      throw CairnException.forbidden("a path may be at most " + maxPathDepth + " folders deep on this server");
    }
    checkLength(p.path());
    if (maxFolderEntries > 0) {
      String parent = TreePaths.parent(p.path());
      if (Await.result(journal.children(p.ns(), parent, null, maxFolderEntries)).size() >= maxFolderEntries) {
        throw new CairnException(CairnException.Kind.INSUFFICIENT_STORAGE,
            "a folder may hold at most " + maxFolderEntries + " files and folders on this server");
      }
    }
  }

  /**
   * Refuses a move or copy of the folder {@code from} to {@code to} whose subtree would end up
   * deeper than the deepest path allowed (FORBIDDEN) or, when its paths grow, longer than the
   * longest (INVALID): each of its folders is listed, level by level, down to the last level that
   * still fits, and a folder there holding anything is one level too many. Nothing is read for a
   * file, or when neither limit can be passed.
   */
  void checkSubtree(Journal journal, FilePath from, FilePath to) {
    walkSubtree(journal, from, to, maxPathDepth > 0 ? maxPathDepth - depth(to.path()) : Integer.MAX_VALUE);
  }

  /**
   * {@link #checkNewEntry} when nothing lives at {@code p}; looks only when the path is too deep or
   * too long or a folder limit is set, so with the defaults an ordinary path costs no read.
   */
  void checkIfAbsent(Journal journal, FilePath p) {
    boolean tooDeep = maxPathDepth > 0 && depth(p.path()) > maxPathDepth;
    if ((tooDeep || tooLong(p.path()) || maxFolderEntries > 0) && !p.isRoot()
        && Await.result(journal.entry(p.ns(), p.path())) == null) {
      checkNewEntry(journal, p);
    }
  }

  /**
   * A rename within one folder ({@code from} to {@code to}), which adds no entry to the folder but
   * may make its name and, for a folder, every path below longer: INVALID past the lengths.
   */
  void checkRename(Journal journal, FilePath from, FilePath to) {
    if (tooLong(to.path()) && Await.result(journal.entry(to.ns(), to.path())) == null) {
      checkLength(to.path());
    }
    walkSubtree(journal, from, to, Integer.MAX_VALUE); // the depth stays
  }

  /**
   * A trashed file or folder ({@code entries}, the subtree that was at {@code from}, parents first)
   * brought back at {@code to}: FORBIDDEN when a path of it would be deeper than allowed, INVALID
   * when one would be longer. The entries are in hand: nothing is read.
   */
  void checkRestored(FilePath from, List<Entry> entries, FilePath to) {
    for (Entry e : entries) {
      String path = TreePaths.rebase(e.path(), from.path(), to.path());
      if (maxPathDepth > 0 && depth(path) > maxPathDepth) {
        throw CairnException.forbidden("a path may be at most " + maxPathDepth + " folders deep on this server,"
            + " and " + from.path() + " holds paths that would go deeper at " + to.path());
      }
      checkLength(path);
    }
  }

  /**
   * INSUFFICIENT_STORAGE (507) when the folder {@code dir} holds more entries than one listing may
   * answer; reads up to that many of its entries, nothing when no listing limit is set.
   */
  void checkListing(Journal journal, FilePath dir) {
    if (maxListing > 0 && Await.result(journal.children(dir.ns(), dir.path(), null, maxListing + 1)).size() > maxListing) {
      throw new CairnException(CairnException.Kind.INSUFFICIENT_STORAGE, dir.path() + " holds more than " + maxListing
          + " files and folders, the most one listing answers on this server: list it a page at a time"
          + " (the sync API's GET list with after=, or the sync-collection REPORT with DAV:limit)");
    }
  }

  /** Whether {@code path} or its last name is longer than this server takes for a new entry. */
  private boolean tooLong(String path) {
    return (maxPathLength > 0 && path.length() > maxPathLength)
        || (maxNameLength > 0 && TreePaths.name(path).length() > maxNameLength);
  }

  private void checkLength(String path) {
    if (maxNameLength > 0 && TreePaths.name(path).length() > maxNameLength) {
      throw CairnException.invalid("a name may be at most " + maxNameLength + " characters long on this server");
    }
    if (maxPathLength > 0 && path.length() > maxPathLength) {
      throw CairnException.invalid("a path may be at most " + maxPathLength + " characters long on this server");
    }
  }

  /**
   * The walk of {@link #checkSubtree}: {@code room} levels below {@code to} still fit the depth
   * ({@code Integer.MAX_VALUE}: no depth to check), and every path seen is checked against the
   * longest when the move makes paths longer.
   */
  private void walkSubtree(Journal journal, FilePath from, FilePath to, int room) {
    int growth = to.path().length() - from.path().length();
    // At the default (the ceiling of every layer) the lengths ride along the depth's walk and
    // never cost a walk of their own: a rename in place reads nothing unless the operator lowered it.
    boolean lengths = maxPathLength > 0 && growth > 0
        && (room != Integer.MAX_VALUE || maxPathLength < TreePaths.MAX_PATH);
    if (room == Integer.MAX_VALUE && !lengths) {
      return;
    }
    Entry source = Await.result(journal.entry(from.ns(), from.path()));
    if (source == null || !source.isDirectory()) {
      return;
    }
    List<String> level = List.of(from.path());
    for (int below = 0; !level.isEmpty(); below++) {
      List<String> next = new ArrayList<>();
      for (String dir : level) {
        if (below >= room) {
          if (!Await.result(journal.children(from.ns(), dir, null, 1)).isEmpty()) {
            throw CairnException.forbidden("a path may be at most " + maxPathDepth + " folders deep on this server,"
                + " and " + from.path() + " holds paths that would go deeper at " + to.path());
          }
          continue;
        }
        Children.each(journal, from.ns(), dir, e -> {
          if (lengths && e.path().length() + growth > maxPathLength) {
            throw CairnException.invalid("a path may be at most " + maxPathLength + " characters long on this server,"
                + " and " + e.path() + " would be longer at " + to.path());
          }
          if (e.isDirectory()) {
            next.add(e.path());
          }
        });
      }
      level = next;
    }
  }

  /** The number of names in {@code path}: {@code /} has 0, {@code /a/b} 2. */
  static int depth(String path) {
    int names = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/' && i + 1 < path.length()) {
        names++;
      }
    }
    return names;
  }
}
