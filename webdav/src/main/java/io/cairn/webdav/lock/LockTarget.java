package io.cairn.webdav.lock;

import java.util.Objects;

/**
 * A lockable place: a namespace and a {@link io.cairn.core.TreePaths valid} path in it, which
 * need not exist.
 */
public record LockTarget(String ns, String path) {
  public LockTarget {
    Objects.requireNonNull(ns, "ns");
    Objects.requireNonNull(path, "path");
  }
}
