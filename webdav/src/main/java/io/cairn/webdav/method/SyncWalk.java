package io.cairn.webdav.method;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.ListedEntry;
import java.io.IOException;
import java.util.List;

/**
 * Lists the members of a sync scope from the current tree, depth first in name order, a page of
 * children at a time (without blocklists: a report shows none): the initial sync of RFC 6578 §3.4 and the trees that MOVE and COPY bring.
 * The order is fixed, so a listing the client's limit cut short resumes after the last member it
 * reported ({@link #resume}).
 */
final class SyncWalk {
  private static final int PAGE = 500;

  /** Where listed members go. */
  interface Sink {
    /** Reports one member; false when the report is full (the member was not reported). */
    boolean accept(FilePath path, EntryMetadata entry) throws IOException;
  }

  private final FileService files;
  private final Caller caller;
  private final SyncScope scope;
  private final Sink sink;

  SyncWalk(FileService files, Caller caller, SyncScope scope, Sink sink) {
    this.files = files;
    this.caller = caller;
    this.scope = scope;
    this.sink = sink;
  }

  /** Lists {@code part} whole; false when the sink filled up. */
  boolean part(SyncScope.Part part) throws IOException {
    if (part.topIsMember()) {
      Entry top = files.entry(caller, new FilePath(part.ns(), part.top()));
      if (top == null || !sink.accept(new FilePath(part.ns(), part.top()), top)) {
        return top == null;
      }
      if (!scope.infinite()) {
        return true;
      }
    }
    return below(part, part.top(), null);
  }

  /**
   * Lists what comes after the member {@code after} of {@code part} in the listing's order: its
   * own members when it is a folder (at infinite level), then the rest of each folder above it.
   */
  boolean resume(SyncScope.Part part, String after) throws IOException {
    Entry last = files.entry(caller, new FilePath(part.ns(), after));
    if (last != null && last.isDirectory() && scope.infinite() && !below(part, after, null)) {
      return false;
    }
    for (String p = after; !p.equals(part.top()); p = TreePaths.parent(p)) {
      if (!below(part, TreePaths.parent(p), TreePaths.name(p))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Lists the members below the folder {@code dir} whose names follow {@code after} (null: all),
   * with their own members at infinite level; false when the sink filled up.
   */
  boolean below(SyncScope.Part part, String dir, String after) throws IOException {
    String next = after;
    while (true) {
      List<ListedEntry> page;
      try {
        page = files.listing(caller, new FilePath(part.ns(), dir), next, PAGE);
      } catch (CairnException e) {
        if (e.kind() == CairnException.Kind.NOT_FOUND || e.kind() == CairnException.Kind.CONFLICT) {
          return true; // gone since: a later change reports it
        }
        throw e;
      }
      for (ListedEntry child : page) {
        if (!scope.isMember(part, child.path())) {
          continue; // a home folder a share shadows, or deeper than the sync level
        }
        if (!sink.accept(new FilePath(part.ns(), child.path()), child)) {
          return false;
        }
        if (scope.infinite() && child.isDirectory() && !below(part, child.path(), null)) {
          return false;
        }
      }
      if (page.size() < PAGE) {
        return true;
      }
      next = page.get(page.size() - 1).name();
    }
  }

  /** How many entries lie below {@code dir} now, counted up to {@code cap}. */
  static long count(FileService files, Caller caller, FilePath dir, long cap) {
    long n = 0;
    String after = null;
    while (n < cap) {
      List<ListedEntry> page;
      try {
        page = files.listing(caller, dir, after, PAGE);
      } catch (CairnException e) {
        if (e.kind() == CairnException.Kind.NOT_FOUND || e.kind() == CairnException.Kind.CONFLICT) {
          return n; // a file, or gone: nothing below it
        }
        throw e;
      }
      for (ListedEntry child : page) {
        n++;
        if (child.isDirectory() && n < cap) {
          n += count(files, caller, new FilePath(dir.ns(), child.path()), cap - n);
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).name();
    }
    return n;
  }
}
