package io.cairn.files;

import io.cairn.core.TreePaths;

/**
 * Where a URL points: a namespace and a normalized path inside it ({@link TreePaths}).
 *
 * @param ns the namespace's name
 * @param path a path that passes {@link TreePaths#isValid}
 */
public record FilePath(String ns, String path) {
  public FilePath {
    if (ns == null || !TreePaths.isValid(path)) {
      throw new IllegalArgumentException("not a valid namespace path: " + ns + ":" + path);
    }
  }

  public boolean isRoot() {
    return path.equals(TreePaths.ROOT);
  }

  /** The parent directory; the root has none (IllegalArgumentException). */
  public FilePath parent() {
    return new FilePath(ns, TreePaths.parent(path));
  }

  public FilePath child(String name) {
    return new FilePath(ns, TreePaths.child(path, name));
  }

  public String name() {
    return TreePaths.name(path);
  }
}
