package io.cairn.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Keeps the index's picture of the server's folder current: the first run lists it (after taking a
 * cursor, so nothing that lands meanwhile is missed); every later run reads the changes since the
 * saved cursor, page by page, each page applied with its cursor in one transaction. Changes are
 * replayed in order, so applying one twice ends the same. A moved or copied folder is listed
 * again where it landed (its files keep their versions there).
 */
final class RemoteTree {
  /**
   * Index meta key set when the change feed shows the synced folder itself deleted or moved away:
   * every run stops then, instead of deleting everything here as the server "deleted" it.
   */
  static final String ROOT_GONE = "root_gone";

  private final Remote remote;
  private final Index index;
  private final String root;

  RemoteTree(Remote remote, Index index, String root) {
    this.remote = remote;
    this.index = index;
    this.root = root;
  }

  /** Brings the index's remote table up to the server's present. */
  void refresh() throws IOException {
    if (index.meta("cursor") == null) {
      relist();
    }
    while (true) {
      Map<String, Object> page;
      try {
        page = remote.changes(index.meta("cursor"), 1000);
      } catch (Remote.ApiError e) {
        if (e.status != 410) {
          throw e;
        }
        relist(); // a share left the view: start over from a listing
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> changes = (List<Map<String, Object>>) page.get("changes");
      List<Runnable> writes = new ArrayList<>();
      for (Map<String, Object> c : changes) {
        writes.addAll(apply(c));
      }
      String next = (String) page.get("cursor");
      index.inTransaction(() -> {
        writes.forEach(Runnable::run);
        index.meta("cursor", next);
      });
      if (!Boolean.TRUE.equals(page.get("has_more"))) {
        return;
      }
    }
  }

  /** Whether the synced folder exists on the server (the root always does). */
  boolean rootExists() throws IOException {
    if (root.equals("/")) {
      return true;
    }
    Map<String, Object> e = remote.entry(root);
    return e != null && "folder".equals(e.get("kind"));
  }

  private void relist() throws IOException {
    String cursor = remote.cursor();
    Map<String, Node> tree = subtree(root);
    index.inTransaction(() -> {
      index.removeRemote("/");
      tree.forEach(index::putRemote);
      index.meta("cursor", cursor);
    });
  }

  /** Everything at and below {@code view} (a server path), by path relative to the root. */
  private Map<String, Node> subtree(String view) throws IOException {
    Map<String, Node> out = new java.util.HashMap<>();
    Map<String, Object> top = remote.entry(view);
    if (top == null) {
      return out;
    }
    out.put(relative(view), Node.of(top));
    Deque<String> folders = new ArrayDeque<>();
    if ("folder".equals(top.get("kind"))) {
      folders.add(view);
    }
    while (!folders.isEmpty()) {
      for (Map<String, Object> e : remote.list(folders.pop())) {
        String path = (String) e.get("path");
        String rel = relative(path);
        if (rel == null) {
          continue;
        }
        out.put(rel, Node.of(e));
        if ("folder".equals(e.get("kind"))) {
          folders.add(path);
        }
      }
    }
    return out;
  }

  /** The index writes one change makes (fetching what a move or copy brought in first). */
  private List<Runnable> apply(Map<String, Object> c) throws IOException {
    String path = (String) c.get("path");
    String rel = relative(path);
    String kind = (String) c.get("kind");
    List<Runnable> writes = new ArrayList<>();
    switch (kind) {
      case "file", "folder" -> {
        if (rel != null) {
          Node n = Node.of(c);
          writes.add(() -> index.putRemote(rel, n));
        }
      }
      case "deleted" -> {
        if (rel != null && !rel.equals("/")) {
          writes.add(() -> index.removeRemote(rel));
        } else if (contains(path, root)) {
          writes.add(() -> index.meta(ROOT_GONE, path));
        }
      }
      case "moved", "copied" -> {
        String from = (String) c.get("from");
        if ("moved".equals(kind) && from != null) {
          String relFrom = relative(from);
          if (relFrom != null && !relFrom.equals("/")) {
            writes.add(() -> index.removeRemote(relFrom));
          } else if (contains(from, root)) {
            writes.add(() -> index.meta(ROOT_GONE, from));
          }
        }
        if (rel != null || contains(path, root)) {
          Map<String, Node> landed = subtree(rel != null ? path : root);
          String top = rel != null ? rel : "/";
          writes.add(() -> {
            index.removeRemote(top);
            landed.forEach(index::putRemote);
          });
        }
      }
      default -> { } // a kind this client does not know yet changes nothing it holds
    }
    return writes;
  }

  /** {@code view} relative to the root ({@code /} for the root), or null when outside it. */
  String relative(String view) {
    return relative(root, view);
  }

  /** {@code view} relative to the server folder {@code root}, or null when outside it. */
  static String relative(String root, String view) {
    if (root.equals("/")) {
      return view;
    }
    if (view.equals(root)) {
      return "/";
    }
    return view.startsWith(root + "/") ? view.substring(root.length()) : null;
  }

  /** The server path of {@code rel}. */
  String view(String rel) {
    if (root.equals("/")) {
      return rel;
    }
    return rel.equals("/") ? root : root + rel;
  }

  private static boolean contains(String ancestor, String path) {
    return ancestor.equals("/") || path.equals(ancestor) || path.startsWith(ancestor + "/");
  }
}
