package io.cairn.cluster.lock;

/** How far a lock reaches below its root (RFC 4918 §9.10.3). */
public enum LockDepth {
  /** Only the root resource itself (for a folder: its properties and its membership). */
  ZERO,
  /** The root and every resource below it, including members added later. */
  INFINITY
}
