package io.cairn.client;

import io.cairn.client.LocalTree.Local;
import io.cairn.client.Plan.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renames carried across instead of transfers ({@link Plan}'s pairing): a rename here becomes a
 * move on the server, so the file's history follows it; a rename on the server becomes a rename
 * here. Each is checked first (by content, or by size and mtime), and falls back to what the two
 * paths would have been without the pairing: an upload and a delete, a download and a settle.
 */
final class Renames {
  private final Sync sync;
  private final Conflicts conflicts;

  Renames(Sync sync, Conflicts conflicts) {
    this.sync = sync;
    this.conflicts = conflicts;
  }

  /** A local rename, checked by content, becomes a move on the server: history follows the file. */
  void onServer(Action a) throws IOException {
    Transfers.Hashed h = sync.transfers.hash(a.local());
    if (!Sync.hashOf(h).equals(a.base().hash())) { // not the same file after all: a new one and a delete
      sync.upload(new Action(Plan.Op.UPLOAD, a.path(), null, a.local(), null));
      sync.act(new Action(Plan.Op.DELETE_REMOTE, a.from(), a.base(), null, a.remote()));
      return;
    }
    Map<String, Object> moved = sync.remote.move(sync.tree.view(a.from()), sync.tree.view(a.path()), a.remote().version());
    Node landed = Node.committed(moved, a.base().blocklist());
    sync.index.inTransaction(() -> {
      sync.index.agreeGone(a.from());
      sync.index.agree(a.path(), landed, h.local().mtime());
    });
    sync.stats.moved.incrementAndGet();
  }

  /** A rename on the server of a file unchanged here is a local rename, not a download. */
  void here(Action a) throws IOException {
    Path from = sync.file(a.from());
    Path to = sync.file(a.path());
    Local now = LocalTree.stat(from);
    Node b = a.base();
    boolean unchanged = now != null && !now.folder() && now.size() == b.size()
        && (now.mtime() == b.mtime() || b.hash().equals(Sync.hashOf(sync.transfers.hash(now))));
    if (LocalTree.stat(to) != null) {
      sync.failed.add(a.path()); // something arrived at the new name meanwhile: next run decides
      sync.failed.add(a.from());
      return;
    }
    if (!unchanged) {
      // Not the file the server renamed after all: fetch the new name, settle the old one.
      sync.download(new Action(Plan.Op.DOWNLOAD, a.path(), null, null, a.remote()));
      if (now != null && !now.folder()) {
        conflicts.settle(new Action(Plan.Op.CONFLICT, a.from(), b, now, null), null);
      }
      return;
    }
    Files.createDirectories(to.getParent());
    Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    sync.index.inTransaction(() -> {
      sync.index.agreeGone(a.from());
      sync.index.agree(a.path(), a.remote(), now.mtime());
    });
    sync.stats.moved.incrementAndGet();
  }
}
