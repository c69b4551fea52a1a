package io.cairn.storage;

/** What a live path is. */
public enum EntryKind {
  FILE,
  DIRECTORY
}
