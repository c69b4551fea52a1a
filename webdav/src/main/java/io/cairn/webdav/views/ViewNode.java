package io.cairn.webdav.views;

import io.cairn.core.Blocklist;
import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import java.time.Instant;

/**
 * One resource of the views: where it is in the caller's view and the entry a response reports
 * (for a file, the version's size, content hash and blocklist, so GET sends exactly its bytes and
 * getetag is that version's ETag; for a folder, a made-up directory entry).
 *
 * @param path the view path, under {@link CairnViews#ROOT}; the entry's path is the same
 * @param entry what PROPFIND and GET report; never null
 * @param place what the node shows, which says what its members are
 */
public record ViewNode(String path, Entry entry, Place place) {

  /** What a node shows. */
  public sealed interface Place {}

  /** {@code /.cairn/}: the two views. */
  public record Top() implements Place {}

  /** A folder of {@code /.cairn/versions/} mirroring the folder {@code dir} of the view. */
  public record Mirror(FilePath dir) implements Place {}

  /** The folder of the versions of the file {@code file}. */
  public record Versions(FilePath file) implements Place {}

  /** One version of a file: a file with no members. */
  public record Version(FilePath file, long jid) implements Place {}

  /** {@code /.cairn/trash/}, or its folder for a share: the trash of namespace {@code ns}. */
  public record Trash(String ns) implements Place {}

  /** What the commit {@code jid} removed at {@code path} (a file, or a folder as it was). */
  public record Deleted(FilePath path, long jid) implements Place {}

  /** A folder node: a directory entry at {@code path} with the times given (null: the epoch). */
  static ViewNode folder(String path, Instant mtime, Instant created, Place place) {
    return new ViewNode(path, new Entry(path, EntryKind.DIRECTORY, 0, mtime, null, Blocklist.EMPTY, 0, created), place);
  }

  /** {@code e} as it shows at {@code path}: the same kind, size, times and content. */
  static ViewNode at(String path, Entry e, Place place) {
    return new ViewNode(path, new Entry(path, e.kind(), e.size(), e.mtime(), e.contentHash(), e.blocklist(), e.version(), e.created()), place);
  }

  /** Whether the node is a folder. */
  public boolean isFolder() {
    return entry.isDirectory();
  }
}
