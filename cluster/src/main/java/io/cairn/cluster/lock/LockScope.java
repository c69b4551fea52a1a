package io.cairn.cluster.lock;

/** The scope of a write lock (RFC 4918 §6.1, §14.13). */
public enum LockScope {
  /** Excludes every other lock on the resources it covers. */
  EXCLUSIVE,
  /** Coexists with other shared locks; excludes exclusive ones. */
  SHARED
}
