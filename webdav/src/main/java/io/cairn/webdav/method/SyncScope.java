package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sync-collection report covers, namespace by namespace: a folder covers the part of its
 * own namespace below it; a user's root covers their home and every share granted to them, each
 * share's root being a member (the folder it appears as). The sync token carries one journal
 * position per {@link Part}.
 *
 * @param collection the requested collection
 * @param infinite whether members at every depth are reported ({@code DAV:sync-level} infinite)
 *     or only the collection's own (1)
 */
record SyncScope(Caller caller, FilePath collection, boolean infinite, List<Part> parts) {

  /**
   * One namespace of the scope.
   *
   * @param top the folder the part starts at: the collection itself, or a share's root
   * @param topIsMember whether {@code top} is itself a member (a share's root under the user's root)
   */
  record Part(String ns, String top, boolean topIsMember) {}

  /** The scope of {@code collection}, an existing folder, as {@code caller} sees it. */
  static SyncScope of(Caller caller, FilePath collection, boolean infinite) {
    List<Part> parts = new ArrayList<>();
    parts.add(new Part(collection.ns(), collection.path(), false));
    for (Caller.Share share : caller.sharesIn(collection)) {
      parts.add(new Part(share.ns(), TreePaths.ROOT, true));
    }
    return new SyncScope(caller, collection, infinite, List.copyOf(parts));
  }

  /** The collection's path in the caller's view, which a token names. */
  String viewPath() {
    String view = caller.viewPath(collection);
    return view == null ? collection.path() : view;
  }

  /** The token of this scope at the positions {@code jids}, with an unfinished listing's cursor. */
  SyncToken token(Map<String, Long> jids, SyncToken.Cursor cursor) {
    return new SyncToken(viewPath(), new LinkedHashMap<>(jids), cursor);
  }

  /**
   * Whether {@code path} in {@code part} is a member this report tells about: at or below the
   * part's top (the top only when it is a member), at depth 1 unless infinite, and visible in the
   * caller's view (a home folder that a share of the same name shadows is not).
   */
  boolean isMember(Part part, String path) {
    if (!TreePaths.isSameOrBelow(path, part.top())) {
      return false;
    }
    if (path.equals(part.top()) && !part.topIsMember()) {
      return false;
    }
    if (!infinite && depth(part, path) != 1) {
      return false;
    }
    FilePath p = new FilePath(part.ns(), path);
    String view = caller.viewPath(p);
    return view != null && caller.locate(view).equals(p);
  }

  /** How far below the collection a path of {@code part} is (its direct members: 1). */
  static int depth(Part part, String path) {
    return segments(path) - segments(part.top()) + (part.topIsMember() ? 1 : 0);
  }

  private static int segments(String path) {
    if (path.equals(TreePaths.ROOT)) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        n++;
      }
    }
    return n;
  }
}
