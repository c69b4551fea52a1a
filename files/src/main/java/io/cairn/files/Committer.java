package io.cairn.files;

import io.cairn.storage.Change;
import io.cairn.storage.JournalRow;

/**
 * Commits one change through {@link FileService}'s one commit path, the journal's commit and then
 * the listeners (the change feed): what the classes doing a part of its work commit with, so that
 * no commit bypasses the feed.
 */
@FunctionalInterface
interface Committer {
  JournalRow commit(String ns, Change change, String author);

  /** Commits {@code change} to {@code p}'s namespace as {@code caller}'s. */
  default JournalRow commit(Caller caller, FilePath p, Change change) {
    return commit(p.ns(), change, caller.name());
  }
}
