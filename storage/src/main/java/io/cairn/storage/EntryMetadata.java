package io.cairn.storage;

import io.cairn.core.TreePaths;
import java.time.Instant;

/**
 * What every entry of the current tree tells about itself but its content: enough to describe it
 * (a listing, a PROPFIND's live properties), never enough to read or copy it. A whole {@link
 * Entry} has its blocklist besides; a {@link ListedEntry} (what {@link Journal#listing} reads)
 * has not, and the type keeps it away from code that reads content: such code takes an {@link
 * Entry}. The accessors mean what {@link Entry}'s of the same name mean.
 */
public sealed interface EntryMetadata permits Entry, ListedEntry {
  /** The normalized path ({@link TreePaths}). */
  String path();

  /** File or directory. */
  EntryKind kind();

  /** Content length in bytes; 0 for directories. */
  long size();

  /** Last modification time. */
  Instant mtime();

  /** The content's digest (the ETag's source); null for directories. */
  String contentHash();

  /** The jid of the last commit that wrote this entry at this path. */
  long version();

  /** When this path was first created. */
  Instant created();

  /** The file id ({@link Entry#fileId}). */
  long fileId();

  /** For a directory, the jid of the newest commit below it; for a file, its version. */
  long treeVersion();

  /** For a directory, the bytes of all files below it; for a file, its size. */
  long treeSize();

  default boolean isDirectory() {
    return kind() == EntryKind.DIRECTORY;
  }

  default String name() {
    return TreePaths.name(path());
  }
}
