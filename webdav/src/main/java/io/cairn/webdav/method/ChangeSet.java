package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.JournalRow;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The journal rows of one namespace since a sync token, collapsed to the members they touched
 * (RFC 6578 §3.5.2): a PUT or MKDIR changes its path; a DELETE removes its path (one removal for a
 * whole folder); a MOVE removes its path and brings a tree to its destination, a COPY only brings
 * the tree. A tree is reported with everything in it when the sync level is infinite.
 *
 * <p>Rows are offered one at a time, in jid order, and a row is either taken whole or left for the
 * next report ({@link Offer#LATER}), so that the token after the last taken row resumes exactly:
 * when the client's limit would be passed, or when the row creates something again where an
 * earlier row removed a folder, or below it (the client must drop the old tree, with its members,
 * before it hears of the new one, and one multistatus cannot say both of one href). A file put
 * again where a file was removed (an editor's delete and save) is simply changed.
 */
final class ChangeSet {
  /** What became of a member. */
  enum Kind {
    CHANGED,
    REMOVED,
    /** A tree arrived here (MOVE, COPY): the member and, at infinite level, all below it. */
    TREE
  }

  /** Whether an offered row was taken. */
  enum Offer {
    TAKEN,
    LATER
  }

  /** What the journal says a path was. */
  interface Folders {
    /** Whether {@code path} was a folder before the row {@code beforeJid}. */
    boolean wasFolder(String path, long beforeJid);
  }

  private final SyncScope scope;
  private final SyncScope.Part part;
  private final Folders folders;
  private final NavigableMap<String, Kind> members = new TreeMap<>();
  private final Map<String, Long> removedAt = new HashMap<>();
  private long results;

  ChangeSet(SyncScope scope, SyncScope.Part part, Folders folders) {
    this.scope = scope;
    this.part = part;
    this.folders = folders;
  }

  SyncScope.Part part() {
    return part;
  }

  /** The members, in path order. */
  NavigableMap<String, Kind> members() {
    return members;
  }

  /** At most how many responses these members make. */
  long results() {
    return results;
  }

  /**
   * Takes {@code row} unless it must start the next report.
   *
   * @param room responses this set may still grow by; negative for no limit
   * @param treeSize how many entries lie below a path now, counted up to at least {@code room + 1}
   * @throws io.cairn.webdav.DavException 403 {@code valid-sync-token} when the row removed or
   *     replaced the collection itself: the token no longer names it
   */
  Offer offer(JournalRow row, long room, ToLongFunction<String> treeSize) {
    String path = row.path();
    boolean removes = row.kind() == ChangeKind.DELETE || row.kind() == ChangeKind.MOVE;
    boolean bringsTree = row.kind() == ChangeKind.MOVE || row.kind() == ChangeKind.COPY;
    String arrives = bringsTree ? row.dest() : row.kind() == ChangeKind.DELETE ? null : path;
    if ((removes && TreePaths.isSameOrBelow(part.top(), path))
        || (bringsTree && TreePaths.isSameOrBelow(part.top(), arrives))) {
      throw SyncToken.invalid("the collection was removed or replaced since the token");
    }
    boolean removal = removes && scope.isMember(part, path);
    boolean arrival = arrives != null && scope.isMember(part, arrives);
    if (arrival && removedAtOrAbove(arrives) && !fileAgain(row, arrives)) {
      return Offer.LATER;
    }
    long cost = (removal ? 1 : 0) + (arrival ? 1 : 0);
    if (arrival && bringsTree && scope.infinite()) {
      cost += treeSize.applyAsLong(arrives);
    }
    if (room >= 0 && cost > room) {
      return Offer.LATER;
    }
    if (removal) {
      remove(path, row.jid());
    }
    if (arrival) {
      arrive(arrives, bringsTree && scope.infinite() ? Kind.TREE : Kind.CHANGED);
    }
    results += cost;
    return Offer.TAKEN;
  }

  /**
   * A namespace that joined the scope since the token (a share granted since): its root arrives
   * as a tree. Same contract as {@link #offer}.
   */
  Offer joined(long room, ToLongFunction<String> treeSize) {
    long cost = 1 + (scope.infinite() ? treeSize.applyAsLong(part.top()) : 0);
    if (room >= 0 && cost > room) {
      return Offer.LATER;
    }
    members.put(part.top(), Kind.TREE);
    results += cost;
    return Offer.TAKEN;
  }

  /** The jid of the row that removed the member at {@code path}, or 0 when it is not removed. */
  long removedAt(String path) {
    return removedAt.getOrDefault(path, 0L);
  }

  /** Whether {@code row} brings a file to {@code path}, where the member removed was a file too. */
  private boolean fileAgain(JournalRow row, String path) {
    if (members.get(path) != Kind.REMOVED || row.kind() == ChangeKind.MKDIR) {
      return false;
    }
    boolean file = row.kind() == ChangeKind.PUT || !folders.wasFolder(row.path(), row.jid());
    return file && !folders.wasFolder(path, removedAt(path));
  }

  private boolean removedAtOrAbove(String path) {
    for (String p = path; ; p = TreePaths.parent(p)) {
      if (members.get(p) == Kind.REMOVED) {
        return true;
      }
      if (p.equals(part.top()) || p.equals(TreePaths.ROOT)) {
        return false;
      }
    }
  }

  /** Whether a tree that arrived since the token holds {@code path} (at or above it). */
  boolean inArrivedTree(String path) {
    return atOrAbove(path) == Kind.TREE;
  }

  private Kind atOrAbove(String path) {
    for (String p = path; ; p = TreePaths.parent(p)) {
      Kind k = members.get(p);
      if (k == Kind.TREE) {
        return k;
      }
      if (p.equals(part.top()) || p.equals(TreePaths.ROOT)) {
        return null;
      }
    }
  }

  /** A member went away: what was recorded below it goes, unless a tree that arrived since holds it. */
  private void remove(String path, long jid) {
    boolean inArrivedTree = atOrAbove(path) == Kind.TREE;
    dropBelow(path, false);
    if (inArrivedTree) {
      members.remove(path);
    } else {
      members.put(path, Kind.REMOVED);
      removedAt.put(path, jid);
    }
  }

  private void arrive(String path, Kind kind) {
    if (atOrAbove(path) == Kind.TREE) {
      return;
    }
    if (kind == Kind.TREE) {
      // The tree is listed whole when reported; removals below it stay, for what it replaced.
      dropBelow(path, true);
    }
    members.put(path, kind);
    removedAt.remove(path);
  }

  private void dropBelow(String path, boolean keepRemovals) {
    // Strictly below: keys from "<path>/" up to "<path>0" ('0' follows '/'), so that "/a b" and
    // "/a-b", which sort between "/a" and "/a/x", are not taken for members of "/a".
    String prefix = path.equals(TreePaths.ROOT) ? TreePaths.ROOT : path + "/";
    String end = prefix.substring(0, prefix.length() - 1) + '0';
    Iterator<Kind> it = members.subMap(prefix, !path.equals(TreePaths.ROOT), end, false).values().iterator();
    while (it.hasNext()) {
      Kind kind = it.next();
      if (!keepRemovals || kind != Kind.REMOVED) {
        it.remove();
      }
    }
  }
}
