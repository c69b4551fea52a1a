package io.cairn.files;

import io.cairn.storage.Journal;

/**
 * Finds a file by its id ({@link io.cairn.storage.Entry#fileId}), as the Nextcloud and ownCloud
 * clients name one in their versions URLs, among the namespaces of the caller's view only (home
 * first, then shares): an id outside the view is not found, like any path outside it. Blocking.
 */
public final class FileIds {
  private final Journal journal;

  public FileIds(Journal journal) {
    this.journal = journal;
  }

  /** Where the live entry with id {@code fileId} is in the caller's view, or null. */
  public FilePath locate(Caller caller, long fileId) {
    for (String ns : caller.namespaces()) {
      String path = Await.result(journal.pathOf(ns, fileId));
      if (path != null) {
        return new FilePath(ns, path);
      }
    }
    return null;
  }
}
