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
 * understood and will never be allowed). 0 means no limit.
 *
 * @param maxUploadBytes the largest file content a client may upload or commit, in bytes
 * @param maxFolderEntries the most files and folders one folder may hold
 * @param maxPathDepth the most names in a path ({@code /a/b/c.txt} has 3)
 */
public record FileLimits(long maxUploadBytes, int maxFolderEntries, int maxPathDepth) {
  /** No limits: what a front built without them gets. */
  public static final FileLimits NONE = new FileLimits(0, 0, 0);

  public FileLimits {
    if (maxUploadBytes < 0 || maxFolderEntries < 0 || maxPathDepth < 0) {
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
   * deeper than the deepest path allowed (FORBIDDEN): each of its folders is listed, level by
   * level, down to the last level that still fits, and a folder there holding anything is one
   * level too many. Nothing is read for a file, or when no depth is set.
   */
  void checkSubtree(Journal journal, FilePath from, FilePath to) {
    if (maxPathDepth <= 0) {
      return;
    }
    Entry source = Await.result(journal.entry(from.ns(), from.path()));
    if (source == null || !source.isDirectory()) {
      return;
    }
    int room = maxPathDepth - depth(to.path()); // levels below the destination that still fit
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
          if (e.isDirectory()) {
            next.add(e.path());
          }
        });
      }
      level = next;
    }
  }

  /**
   * {@link #checkNewEntry} when nothing lives at {@code p}; looks only when the path is too deep
   * or a folder limit is set, so with the defaults a path of ordinary depth costs no read.
   */
  void checkIfAbsent(Journal journal, FilePath p) {
    boolean tooDeep = maxPathDepth > 0 && depth(p.path()) > maxPathDepth;
    if ((tooDeep || maxFolderEntries > 0) && !p.isRoot() && Await.result(journal.entry(p.ns(), p.path())) == null) {
      checkNewEntry(journal, p);
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
