package io.cairn.storage;

import io.cairn.core.Blocklist;
import io.cairn.core.TreePaths;
import java.time.Instant;

/**
 * One live path of a namespace's current tree.
 *
 * @param path normalized path ({@link TreePaths})
 * @param kind file or directory
 * @param size content length in bytes; 0 for directories
 * @param mtime last modification time as the client set it or the server saw it
 * @param contentHash a digest of the content that changes when the content does (the ETag's
 *     source); null for directories
 * @param blocklist the file's chunks; empty for directories and empty files
 * @param version the jid of the last commit that wrote this entry at this path (0 for the root):
 *     what optimistic concurrency compares with {@link Expect#version(long)}
 * @param created when this path was first created (kept across overwrites)
 */
public record Entry(
    String path,
    EntryKind kind,
    long size,
    Instant mtime,
    String contentHash,
    Blocklist blocklist,
    long version,
    Instant created) {

  public boolean isDirectory() {
    return kind == EntryKind.DIRECTORY;
  }

  public String name() {
    return TreePaths.name(path);
  }
}
