package io.cairn.client;

import io.cairn.client.LocalTree.Local;
import io.cairn.client.Plan.Action;
import io.cairn.core.ConflictNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Settles a path both sides changed since the base, by the run's policy. No policy drops a
 * version: what loses stays on the server, in the file's history or its trash, where {@code
 * history}/{@code restore} and {@code trash/restore} reach it, and every conflict is recorded for
 * {@code cairn sync conflicts}.
 *
 * <table>
 *   <tr><th>shape</th><th>keep-both (default)</th><th>--prefer local</th><th>--prefer remote</th></tr>
 *   <tr><td>edited on both sides (or created on both)</td><td>the server's version at the name, this
 *       side's beside it as a conflict copy, on both sides</td><td>this side's version; the server's
 *       stays in the file's history</td><td>the server's version; this side's goes to the server's
 *       trash as a conflict copy</td></tr>
 *   <tr><td>edited here, deleted on the server</td><td colspan=2>the edit is kept (created again on the
 *       server)</td><td>deleted; the edit goes to the server's trash</td></tr>
 *   <tr><td>deleted here, edited on the server</td><td>the edit is kept (created again here)</td>
 *       <td>deleted; the edit goes to the server's trash</td><td>the edit is kept</td></tr>
 * </table>
 *
 * A rename here against an edit there is a delete of the old name against an edit (the edit is
 * kept at the old name, the renamed file at the new one); a file created in a folder the other
 * side deleted keeps its folder ({@link Plan}).
 */
final class Conflicts {
  private final Sync sync;

  Conflicts(Sync sync) {
    this.sync = sync;
  }

  /** Settles {@code a} ({@code hashed}: the local file already read, or null). */
  void settle(Action a, Transfers.Hashed hashed) throws IOException {
    String p = a.path();
    Node b = a.base();
    Node r = a.remote();
    Local l = a.local();
    Transfers.Hashed h = hashed != null || l == null ? hashed : sync.transfers.hash(l);
    String lh = h == null ? null : Sync.hashOf(h);
    Path target = sync.file(p);
    if (h != null && b != null && !b.folder() && lh.equals(b.hash())) {
      // Only the mtime moved here: not a conflict, just the server's change.
      if (r == null) {
        if (!deleteIfStill(target, l)) {
          sync.failed.add(p); // changed again since it was read: the next run decides
          return;
        }
        sync.index.agreeGone(p);
        sync.stats.deletedLocal.incrementAndGet();
      } else if (sync.transfers.download(r, target, l)) {
        sync.index.agree(p, r, r.mtime());
        sync.stats.downloaded.incrementAndGet();
      }
      return;
    }
    if (h != null && r != null && !r.folder() && lh.equals(r.hash())) {
      sync.index.agree(p, r, l.mtime()); // both made the same content
      return;
    }
    Node mine = h == null ? null : Node.file(0, l.size(), l.mtime(), h.blocklist());
    String view = sync.tree.view(p);
    String outcome;
    String copy = null;
    String shape;
    if (h != null && r != null) {
      shape = b == null ? "created on both sides" : "edited on both sides";
      Long base = b == null || b.folder() ? null : b.version();
      switch (sync.policy) {
        case LOCAL -> {
          Map<String, Object> answer = sync.transfers.upload(h, view, base, "overwrite");
          sync.index.agree(p, Node.committed(answer, h.blocklist()), l.mtime());
          outcome = "kept this side's version; the server's (version " + r.version() + ") is in the file's history";
        }
        case REMOTE -> {
          Map<String, Object> answer = sync.transfers.upload(h, view, base, "keep-both");
          if (!Boolean.TRUE.equals(answer.get("conflict"))) { // the base was current after all: no conflict
            sync.index.agree(p, Node.committed(answer, h.blocklist()), l.mtime());
            return;
          }
          copy = (String) answer.get("path");
          sync.remote.delete(copy, ((Number) answer.get("version")).longValue());
          if (!sync.transfers.download(r, target, l)) {
            sync.failed.add(p);
            return;
          }
          sync.index.agree(p, r, r.mtime());
          outcome = "kept the server's version; this side's is in the server's trash as " + copy;
        }
        default -> {
          Map<String, Object> answer = sync.transfers.upload(h, view, base, "keep-both");
          if (!Boolean.TRUE.equals(answer.get("conflict"))) { // the server's moved back to our base meanwhile
            sync.index.agree(p, Node.committed(answer, h.blocklist()), l.mtime());
            return;
          }
          copy = (String) answer.get("path");
          String copyRel = sync.tree.relative(copy);
          Path copyFile = sync.file(copyRel);
          Files.move(target, copyFile); // never onto another file: fails if the name is taken
          sync.index.agree(copyRel, Node.committed(answer, h.blocklist()), l.mtime());
          if (sync.transfers.download(r, target, null)) {
            sync.index.agree(p, r, r.mtime());
          }
          outcome = "kept both: the server's version at the name, this side's as " + copy;
        }
      }
    } else if (h != null) {
      shape = "edited here, deleted on the server";
      Map<String, Object> answer = sync.transfers.upload(h, view, null, "fail");
      Node made = Node.committed(answer, h.blocklist());
      if (sync.policy == Sync.Policy.REMOTE) {
        sync.remote.delete(view, made.version());
        deleteIfStill(target, l);
        sync.index.agreeGone(p);
        outcome = "deleted; this side's edit is in the server's trash";
      } else {
        sync.index.agree(p, made, l.mtime());
        outcome = "kept this side's edit (created again on the server)";
      }
    } else {
      shape = "deleted here, edited on the server";
      if (sync.policy == Sync.Policy.LOCAL) {
        sync.remote.delete(view, r.version());
        sync.index.agreeGone(p);
        outcome = "deleted; the server's edit is in its trash";
      } else {
        if (!sync.transfers.download(r, target, null)) {
          sync.failed.add(p);
          return;
        }
        sync.index.agree(p, r, r.mtime());
        outcome = "kept the server's edit (created again here)";
      }
    }
    sync.stats.conflicts.incrementAndGet();
    sync.index.addConflict(new Index.Conflict(sync.clock.millis(), p, shape, outcome, copy, b, mine, r));
  }

  /** A file here and a folder there at one path: the file moves aside to a conflict copy's name. */
  void clash(Action a) throws IOException {
    String p = a.path();
    String copy = ConflictNames.copyOf(sync.tree.view(p), sync.clock.instant(), sync.user);
    if (!a.local().folder()) {
      Files.move(sync.file(p), sync.file(sync.tree.relative(copy)), StandardCopyOption.ATOMIC_MOVE);
    } else {
      Map<String, Object> moved = sync.remote.move(sync.tree.view(p), copy, a.remote().version());
      sync.index.inTransaction(() -> {
        sync.index.removeRemote(p);
        sync.index.putRemote(sync.tree.relative(copy), Node.committed(moved, a.remote().blocklist()));
      });
    }
    sync.stats.conflicts.incrementAndGet();
    sync.index.addConflict(new Index.Conflict(sync.clock.millis(), p, "a file on one side, a folder on the other",
        "kept both: the file as " + copy, copy, a.base(), null, a.remote()));
  }

  /** Deletes {@code target} if it is still as {@code expected}; whether it did. */
  private static boolean deleteIfStill(Path target, Local expected) throws IOException {
    Local now = LocalTree.stat(target);
    if (now != null && !now.folder() && now.size() == expected.size() && now.mtime() == expected.mtime()) {
      Files.delete(target);
      return true;
    }
    return false;
  }
}
