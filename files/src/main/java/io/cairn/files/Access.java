package io.cairn.files;

import io.cairn.core.CairnException;

/**
 * The access rules every operation of {@link FileService} applies before any work: a caller reads
 * only namespaces in their view (anything else is NOT_FOUND, so nothing reveals that it exists),
 * writes only their home and read-write shares (FORBIDDEN on a read-only share), and never
 * deletes, moves or copies a namespace's root.
 */
final class Access {
  private Access() {}

  static void readable(Caller caller, FilePath p) {
    if (!caller.canRead(p.ns())) {
      throw CairnException.notFound("not found");
    }
  }

  /** Namespace {@code ns} as a whole: NOT_FOUND, "no such namespace", outside the caller's view. */
  static void readable(Caller caller, String ns) {
    if (!caller.canRead(ns)) {
      throw CairnException.notFound("no such namespace");
    }
  }

  static void writable(Caller caller, FilePath p) {
    readable(caller, p);
    if (!caller.canWrite(p.ns())) {
      throw CairnException.forbidden("this shared folder is read-only for you");
    }
  }

  static void requireNotRoot(FilePath p, String what) {
    if (p.isRoot()) {
      throw CairnException.forbidden("cannot " + what + " the root of a namespace");
    }
  }

  /** Both ends writable, in one namespace (a move between namespaces would copy), neither a root. */
  static void sameNamespace(Caller caller, FilePath from, FilePath to, String what) {
    writable(caller, from);
    writable(caller, to);
    if (!from.ns().equals(to.ns())) {
      throw CairnException.forbidden("cannot " + what + " between a shared folder and another namespace");
    }
    requireNotRoot(from, what);
    requireNotRoot(to, what + " onto");
  }
}
