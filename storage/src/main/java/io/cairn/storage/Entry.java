package io.cairn.storage;

import io.cairn.core.Blocklist;
import java.time.Instant;

/**
 * One live path of a namespace's current tree, with its content's blocklist ({@link
 * EntryMetadata} for what a listing needs of it).
 *
 * @param path normalized path ({@link io.cairn.core.TreePaths})
 * @param kind file or directory
 * @param size content length in bytes; 0 for directories
 * @param mtime last modification time as the client set it or the server saw it
 * @param contentHash a digest of the content that changes when the content does (the ETag's
 *     source); null for directories
 * @param blocklist the file's chunks; empty for directories and empty files
 * @param version the jid of the last commit that wrote this entry at this path (0 for the root):
 *     what optimistic concurrency compares with {@link Expect#version(long)}
 * @param created when this path was first created (kept across overwrites)
 * @param fileId positive, unique across every namespace of the database and never reused (not
 *     after a delete either): given when the path comes into existence (a PUT creating a file, a
 *     MKDIR, each entry a COPY creates, a namespace's root), kept by an overwriting PUT and by a
 *     MOVE of the entry or of any folder above it (what ownCloud/Nextcloud clients call
 *     {@code oc:fileid}). 0 only for entries synthesized outside the journal and for trash
 *     entries removed before schema version 5 (docs/adr/0009-file-ids-and-tree-etags.md)
 * @param treeVersion for a directory, the jid of the newest commit that changed it or anything
 *     below it (a folder ETag's source; the root's is the namespace's last jid); for a file,
 *     {@code version}. A property patch writes no commit and leaves it alone
 * @param treeSize for a directory, the bytes of all files below it (the root's: the namespace's
 *     used bytes); for a file, {@code size}
 */
public record Entry(
    String path,
    EntryKind kind,
    long size,
    Instant mtime,
    String contentHash,
    Blocklist blocklist,
    long version,
    Instant created,
    long fileId,
    long treeVersion,
    long treeSize)
    implements EntryMetadata {

  /**
   * An entry that no journal stored, such as a virtual folder of a view: no file id (0), its tree
   * version its version, its tree size its size.
   */
  public Entry(
      String path,
      EntryKind kind,
      long size,
      Instant mtime,
      String contentHash,
      Blocklist blocklist,
      long version,
      Instant created) {
    this(path, kind, size, mtime, contentHash, blocklist, version, created, 0, version, size);
  }

  /** This entry as a listing shows it: all but its blocklist. */
  public ListedEntry listed() {
    return new ListedEntry(path, kind, size, mtime, contentHash, version, created, fileId,
        treeVersion, treeSize);
  }
}
