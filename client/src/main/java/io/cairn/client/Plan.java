package io.cairn.client;

import io.cairn.client.LocalTree.Local;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one pass does, decided path by path from three states: the base (what both sides last
 * agreed on), the local disk and the server's tree. A side "changed" when it differs from the
 * base; a change on one side only is carried to the other; a change on both sides that ends the
 * same is agreed; any other is a conflict, which {@link Sync} settles by the run's policy without
 * dropping either side. A path the base never held is never deleted anywhere.
 *
 * <p>Folders: a folder deleted on one side is deleted on the other only when nothing below it
 * survives the pass; otherwise it comes back (a file created or changed inside a folder the other
 * side deleted keeps its folder).
 */
final class Plan {
  enum Op {
    /** Create the folder on the server (phase 1, parents first). */
    MKDIR_REMOTE,
    /** Create the folder locally (phase 1). */
    MKDIR_LOCAL,
    /** A file here and a folder there (or the reverse): move the file aside (phase 1). */
    CLASH,
    /** A file renamed here: move it on the server too, keeping its history (phase 1). */
    RENAME_REMOTE,
    /** A file renamed on the server: rename it here too instead of fetching it again (phase 1). */
    RENAME_LOCAL,
    /** Send a local file that changed (phase 2, in parallel). */
    UPLOAD,
    /** Fetch a remote file that changed (phase 2). */
    DOWNLOAD,
    /** Both sides changed the file, or one edited what the other deleted (phase 2). */
    CONFLICT,
    /** Both sides already agree: record it (no transfer). */
    AGREE,
    /** Delete locally what the server deleted (phase 3, children first). */
    DELETE_LOCAL,
    /** Delete on the server what was deleted locally (phase 3). */
    DELETE_REMOTE
  }

  /**
   * One step: the op and the three states it was decided from (each may be null); for a rename,
   * {@code from} is the old path, and {@code base} and {@code remote} are the old path's.
   */
  record Action(Op op, String path, Node base, Local local, Node remote, String from) {
    Action(Op op, String path, Node base, Local local, Node remote) {
      this(op, path, base, local, remote, null);
    }
  }

  final List<Action> folders = new ArrayList<>();
  final List<Action> files = new ArrayList<>();
  final List<Action> deletes = new ArrayList<>();

  boolean isEmpty() {
    return folders.isEmpty() && files.isEmpty() && deletes.isEmpty();
  }

  int size() {
    return folders.size() + files.size() + deletes.size();
  }

  static Plan of(Map<String, Node> base, Map<String, Local> local, Map<String, Node> remote, Set<String> skip) {
    return of(base, local, remote, skip, Set.of());
  }

  /**
   * The plan for one pass.
   *
   * @param skip paths left alone in this pass (failed or settled already)
   * @param skipTrees paths left alone with everything below them: names the disk cannot hold, and
   *     folders the walk could not read (whose content is unknown, not gone)
   */
  static Plan of(Map<String, Node> base, Map<String, Local> local, Map<String, Node> remote, Set<String> skip,
      Set<String> skipTrees) {
    TreeSet<String> paths = new TreeSet<>();
    paths.addAll(base.keySet());
    paths.addAll(local.keySet());
    paths.addAll(remote.keySet());
    paths.addAll(skipTrees);
    paths.remove("/");
    Plan plan = new Plan();
    Set<String> survivors = new HashSet<>();
    List<Action> folderDeletes = new ArrayList<>();
    for (String p : paths) {
      if (skip.contains(p) || skipTrees.contains(p) || hasAncestorIn(skipTrees, p)) {
        // Left alone, it stays wherever it is: a folder above it is not deleted from under it.
        if (base.containsKey(p) || local.containsKey(p) || remote.containsKey(p) || skipTrees.contains(p)) {
          survivors.add(p);
        }
        continue;
      }
      Action a = decide(p, base.get(p), local.get(p), remote.get(p));
      if (a != null && replacesChangedFolder(a, paths, base, remote)) {
        a = new Action(Op.CLASH, p, a.base, a.local, a.remote); // keep both: the folder's news and the file
      }
      if (a == null) {
        if (local.containsKey(p) || remote.containsKey(p)) {
          survivors.add(p);
        }
        continue;
      }
      boolean folderDelete = (a.op == Op.DELETE_LOCAL || a.op == Op.DELETE_REMOTE) && a.base != null && a.base.folder();
      if (folderDelete) {
        folderDeletes.add(a);
        continue;
      }
      if (a.op != Op.DELETE_LOCAL && a.op != Op.DELETE_REMOTE
          && !(a.op == Op.AGREE && a.local == null && a.remote == null)) {
        survivors.add(p);
      }
      plan.add(a);
    }
    // Deepest first, so a folder kept alive counts as a survivor for its own parent.
    folderDeletes.sort(Comparator.comparing(Action::path).reversed());
    Set<String> ancestorsOfSurvivors = new HashSet<>();
    for (String s : survivors) {
      for (String q = parent(s); q != null; q = parent(q)) {
        if (!ancestorsOfSurvivors.add(q)) {
          break;
        }
      }
    }
    for (Action a : folderDeletes) {
      if (ancestorsOfSurvivors.contains(a.path)) {
        Op back = a.op == Op.DELETE_REMOTE ? Op.MKDIR_LOCAL : Op.MKDIR_REMOTE;
        plan.add(new Action(back, a.path, a.base, a.local, a.remote));
        for (String q = parent(a.path); q != null && ancestorsOfSurvivors.add(q); q = parent(q)) {
          // a folder that comes back keeps its parents too
        }
      } else {
        plan.add(a);
      }
    }
    plan.pairRenames();
    plan.folders.sort(Comparator.comparing(Action::path));
    plan.deletes.sort(Comparator.comparing(Action::path).reversed());
    // A folder deleted on the server takes what is below it: no delete for each of its children.
    Set<String> remoteFolderDeletes = new HashSet<>();
    for (Action d : plan.deletes) {
      if (d.op == Op.DELETE_REMOTE && d.base != null && d.base.folder()) {
        remoteFolderDeletes.add(d.path);
      }
    }
    plan.deletes.removeIf(a -> a.op == Op.DELETE_REMOTE && hasAncestorIn(remoteFolderDeletes, a.path));
    return plan;
  }

  /**
   * Whether {@code a} would put a local file where the server has a folder that changed below
   * since the base: deleting that folder would drop what changed in it.
   */
  private static boolean replacesChangedFolder(Action a, TreeSet<String> paths, Map<String, Node> base,
      Map<String, Node> remote) {
    if (a.local == null || a.local.folder() || a.remote == null || !a.remote.folder()) {
      return false;
    }
    for (String q : paths.subSet(a.path + "/", a.path + "0")) {
      if (remoteChanged(base.get(q), remote.get(q))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasAncestorIn(Set<String> folders, String path) {
    for (String q = parent(path); q != null; q = parent(q)) {
      if (folders.contains(q)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A file deleted here and a new one here of the same size, the only one of that size on both
   * counts, is taken for a rename, which the run checks by the content hash before moving on the
   * server (and falls back to an upload and a delete when it is not); a
   * file deleted on the server and a new one there with the same content is renamed here. Only
   * one-to-one matches pair up.
   */
  private void pairRenames() {
    Map<String, List<Action>> gone = new java.util.HashMap<>();
    Map<String, List<Action>> goneRemotely = new java.util.HashMap<>();
    for (Action d : deletes) {
      if (d.base != null && !d.base.folder()) {
        if (d.op == Op.DELETE_REMOTE) {
          gone.computeIfAbsent(String.valueOf(d.base.size()), k -> new ArrayList<>()).add(d);
        } else {
          goneRemotely.computeIfAbsent(d.base.hash(), k -> new ArrayList<>()).add(d);
        }
      }
    }
    // Deleted on the server, and here of the base's size but not of its mtime: maybe unchanged
    // (the run reads it to be sure), so maybe the old name of a rename there.
    List<Action> maybeUnchanged = new ArrayList<>();
    for (Action c : files) {
      if (c.op == Op.CONFLICT && c.remote == null && c.base != null && !c.base.folder() && c.local != null
          && c.local.size() == c.base.size()) {
        goneRemotely.computeIfAbsent(c.base.hash(), k -> new ArrayList<>()).add(c);
        maybeUnchanged.add(c);
      }
    }
    Map<String, List<Action>> fresh = new java.util.HashMap<>();
    for (Action a : files) {
      if (maybeUnchanged.contains(a)) {
        continue;
      }
      if (a.base == null && a.op == Op.UPLOAD && a.remote == null) {
        fresh.computeIfAbsent("u" + a.local.size(), k -> new ArrayList<>()).add(a);
      } else if (a.base == null && a.op == Op.DOWNLOAD && a.local == null) {
        fresh.computeIfAbsent("d" + a.remote.hash(), k -> new ArrayList<>()).add(a);
      }
    }
    for (Map.Entry<String, List<Action>> e : fresh.entrySet()) {
      boolean up = e.getKey().startsWith("u");
      List<Action> olds = (up ? gone : goneRemotely).get(e.getKey().substring(1));
      if (e.getValue().size() != 1 || olds == null || olds.size() != 1) {
        continue;
      }
      Action created = e.getValue().get(0);
      Action old = olds.get(0);
      files.remove(created);
      if (!deletes.remove(old)) {
        files.remove(old);
      }
      folders.add(up
          ? new Action(Op.RENAME_REMOTE, created.path, old.base, created.local, old.remote, old.path)
          : new Action(Op.RENAME_LOCAL, created.path, old.base, old.local, created.remote, old.path));
    }
  }

  private void add(Action a) {
    switch (a.op) {
      case MKDIR_LOCAL, MKDIR_REMOTE, CLASH, RENAME_REMOTE, RENAME_LOCAL -> folders.add(a);
      case UPLOAD, DOWNLOAD, CONFLICT, AGREE -> files.add(a);
      case DELETE_LOCAL, DELETE_REMOTE -> deletes.add(a);
    }
  }

  /** The step for one path; null when nothing is to be done. */
  static Action decide(String p, Node b, Local l, Node r) {
    boolean localChanged = localChanged(b, l);
    boolean remoteChanged = remoteChanged(b, r);
    if (!localChanged && !remoteChanged) {
      if (b != null && r != null && !r.folder() && r.version() != b.version()) {
        return new Action(Op.AGREE, p, b, l, r); // same content under a new version: note it
      }
      return null;
    }
    if (localChanged && !remoteChanged) {
      if (l == null) {
        return new Action(Op.DELETE_REMOTE, p, b, null, r);
      }
      return new Action(l.folder() ? Op.MKDIR_REMOTE : Op.UPLOAD, p, b, l, r);
    }
    if (!localChanged) {
      if (r == null) {
        return new Action(Op.DELETE_LOCAL, p, b, l, null);
      }
      return new Action(r.folder() ? Op.MKDIR_LOCAL : Op.DOWNLOAD, p, b, l, r);
    }
    // Both changed.
    if (l == null && r == null) {
      return new Action(Op.AGREE, p, b, null, null);
    }
    if (l != null && r != null && l.folder() && r.folder()) {
      return new Action(Op.AGREE, p, b, l, r);
    }
    if (l != null && l.folder() && r == null) {
      return new Action(Op.MKDIR_REMOTE, p, b, l, null);
    }
    if (r != null && r.folder() && l == null) {
      return new Action(Op.MKDIR_LOCAL, p, b, null, r);
    }
    if (l != null && r != null && l.folder() != r.folder()) {
      return new Action(Op.CLASH, p, b, l, r);
    }
    return new Action(Op.CONFLICT, p, b, l, r);
  }

  /**
   * Whether the disk differs from the base. A file whose size and mtime are the base's is taken as
   * unchanged without reading it; one that differs is a candidate, which hashing may still find
   * unchanged in content.
   */
  static boolean localChanged(Node b, Local l) {
    if (l == null || b == null) {
      return (l == null) != (b == null);
    }
    if (l.folder() || b.folder()) {
      return l.folder() != b.folder();
    }
    return l.size() != b.size() || l.mtime() != b.mtime();
  }

  /** Whether the server differs from the base: another kind, or other content. */
  static boolean remoteChanged(Node b, Node r) {
    if (r == null || b == null) {
      return (r == null) != (b == null);
    }
    if (r.folder() || b.folder()) {
      return r.folder() != b.folder();
    }
    return !r.hash().equals(b.hash());
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? null : path.substring(0, slash);
  }
}
