package io.cairn.webdav;

import io.cairn.core.TreePaths;

/**
 * Where a URL points: a namespace and a normalized path inside it ({@link TreePaths}).
 *
 * @param ns the namespace's name
 * @param path a path that passes {@link TreePaths#isValid}
 */
public record DavPath(String ns, String path) {
  public DavPath {
    if (ns == null || !TreePaths.isValid(path)) {
      throw new IllegalArgumentException("not a valid namespace path: " + ns + ":" + path);
    }
  }

  public boolean isRoot() {
    return path.equals(TreePaths.ROOT);
  }

  /** The parent directory; the root has none (IllegalArgumentException). */
  public DavPath parent() {
    return new DavPath(ns, TreePaths.parent(path));
  }

  public DavPath child(String name) {
    return new DavPath(ns, TreePaths.child(path, name));
  }

  public String name() {
    return TreePaths.name(path);
  }
}
