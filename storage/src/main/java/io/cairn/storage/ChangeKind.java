package io.cairn.storage;

/** What a journal row records. */
public enum ChangeKind {
  /** A file created or overwritten. */
  PUT,
  MKDIR,
  /** A file or a whole subtree removed. */
  DELETE,
  /** A file or subtree moved from {@code path} to {@code dest}. */
  MOVE,
  /** A file or subtree copied from {@code path} to {@code dest}; no chunk is copied. */
  COPY
}
