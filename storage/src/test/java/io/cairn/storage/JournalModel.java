package io.cairn.storage;

import static io.cairn.core.CairnException.Kind.ALREADY_EXISTS;
import static io.cairn.core.CairnException.Kind.CONFLICT;
import static io.cairn.core.CairnException.Kind.NOT_FOUND;
import static io.cairn.core.CairnException.Kind.PRECONDITION_FAILED;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A tiny in-memory journal that {@link JournalModelTest} holds the real ones against: the rules of
 * the journal's contract written as plainly as possible, one namespace, no I/O.
 */
final class JournalModel {

  /**
   * One live path. {@code version} is the jid that last wrote it, 0 for the root. {@code id} is
   * the model's own name for the file living here: kept by overwrites and moves, new for anything
   * created or copied. The journal's file ids are not predictable numbers, so the test learns
   * which real id each model id stands for and holds the journal to that one-to-one mapping.
   */
  record Node(
      EntryKind kind,
      long size,
      String contentHash,
      Blocklist blocklist,
      long version,
      TreeMap<PropertyName, String> props,
      long id) {

    Node moved(long jid) {
      return new Node(kind, size, contentHash, blocklist, jid, new TreeMap<>(props), id);
    }

    Node copied(long jid, long newId) {
      return new Node(kind, size, contentHash, blocklist, jid, new TreeMap<>(props), newId);
    }
  }

  /** What a commit did: the row's kind, path and dest, or why it failed. */
  record Outcome(CairnException.Kind failure, ChangeKind kind, String path, String dest) {
    static Outcome fail(CairnException.Kind k) {
      return new Outcome(k, null, null, null);
    }
  }

  static final java.util.Comparator<PropertyName> PROPERTY_ORDER =
      java.util.Comparator.comparing(PropertyName::namespace)
          .thenComparing(PropertyName::localName);

  /** Paths in code point order, so that walking a subtree is walking a range. */
  final TreeMap<String, Node> tree = new TreeMap<>(JournalContractTest::compareCodePoints);

  long lastJid;
  /** The model ids handed out so far. */
  private long lastId;
  final List<Outcome> rows = new ArrayList<>();

  JournalModel() {
    tree.put(TreePaths.ROOT, dir(0));
  }

  private Node dir(long version) {
    return new Node(EntryKind.DIRECTORY, 0, null, Blocklist.EMPTY, version,
        new TreeMap<>(PROPERTY_ORDER), ++lastId);
  }

  long usedBytes() {
    return tree.values().stream().mapToLong(Node::size).sum();
  }

  /** The bytes of the files at or below {@code path}, recomputed from the tree. */
  long treeSize(String path) {
    return subtree(path).values().stream().mapToLong(Node::size).sum();
  }

  /**
   * Recomputed from the rows: a file's version; for a directory the newest jid, from its own
   * version on, of a row that changed something at or below it (a row's path, unless it is a
   * COPY's source, which the copy leaves alone, and its destination). Rows before the
   * directory's version concern whatever lived at its path before it was written there.
   */
  long treeVersion(String path) {
    Node n = tree.get(path);
    if (n.kind() == EntryKind.FILE) {
      return n.version();
    }
    long newest = n.version();
    for (int i = (int) n.version(); i < rows.size(); i++) {
      Outcome r = rows.get(i);
      boolean changedBelow =
          (r.kind() != ChangeKind.COPY && TreePaths.isSameOrBelow(r.path(), path))
              || (r.dest() != null && TreePaths.isSameOrBelow(r.dest(), path));
      if (changedBelow) {
        newest = i + 1;
      }
    }
    return newest;
  }

  Outcome apply(Change change) {
    Outcome o = switch (change) {
      case Change.Put p -> put(p);
      case Change.Mkdir m -> mkdir(m.path());
      case Change.Delete d -> delete(d);
      case Change.Move m -> transfer(m.path(), m.to(), m.overwrite(), m.expect(), true, true);
      case Change.Copy c -> transfer(c.path(), c.to(), c.overwrite(), Expect.ANY, false,
          c.recursive());
    };
    if (o.failure() == null) {
      rows.add(o);
    }
    return o;
  }

  /** Null on success, else the failure kind. */
  CairnException.Kind patch(String path, List<PropertyChange> changes) {
    if (!TreePaths.isValid(path)) {
      return CONFLICT;
    }
    Node n = tree.get(path);
    if (n == null) {
      return NOT_FOUND;
    }
    for (PropertyChange c : changes) {
      if (c.isRemove()) {
        n.props().remove(c.name());
      } else {
        n.props().put(c.name(), c.value());
      }
    }
    return null;
  }

  private Outcome put(Change.Put p) {
    String path = p.path();
    if (!TreePaths.isValid(path) || path.equals(TreePaths.ROOT) || !isDir(parentOf(path))) {
      return Outcome.fail(CONFLICT);
    }
    Node cur = tree.get(path);
    if (cur != null && cur.kind() == EntryKind.DIRECTORY) {
      return Outcome.fail(CONFLICT);
    }
    if (!meets(p.expect(), cur)) {
      return Outcome.fail(PRECONDITION_FAILED);
    }
    long jid = ++lastJid;
    TreeMap<PropertyName, String> props =
        cur == null ? new TreeMap<>(PROPERTY_ORDER) : cur.props();
    long id = cur == null ? ++lastId : cur.id();
    tree.put(path,
        new Node(EntryKind.FILE, p.size(), p.contentHash(), p.blocklist(), jid, props, id));
    return new Outcome(null, ChangeKind.PUT, path, null);
  }

  private Outcome mkdir(String path) {
    if (!TreePaths.isValid(path)) {
      return Outcome.fail(CONFLICT);
    }
    if (path.equals(TreePaths.ROOT)) {
      return Outcome.fail(ALREADY_EXISTS);
    }
    if (!isDir(parentOf(path))) {
      return Outcome.fail(CONFLICT);
    }
    if (tree.containsKey(path)) {
      return Outcome.fail(ALREADY_EXISTS);
    }
    tree.put(path, dir(++lastJid));
    return new Outcome(null, ChangeKind.MKDIR, path, null);
  }

  private Outcome delete(Change.Delete d) {
    String path = d.path();
    if (!TreePaths.isValid(path) || path.equals(TreePaths.ROOT)) {
      return Outcome.fail(CONFLICT);
    }
    Node cur = tree.get(path);
    if (cur == null) {
      return Outcome.fail(NOT_FOUND);
    }
    if (!meets(d.expect(), cur)) {
      return Outcome.fail(PRECONDITION_FAILED);
    }
    lastJid++;
    removeSubtree(path);
    return new Outcome(null, ChangeKind.DELETE, path, null);
  }

  private Outcome transfer(
      String from, String to, boolean overwrite, Expect expect, boolean move, boolean recursive) {
    if (!TreePaths.isValid(from) || !TreePaths.isValid(to) || from.equals(TreePaths.ROOT)) {
      return Outcome.fail(CONFLICT);
    }
    Node src = tree.get(from);
    if (src == null) {
      return Outcome.fail(NOT_FOUND);
    }
    if (!meets(expect, src)) {
      return Outcome.fail(PRECONDITION_FAILED);
    }
    if (TreePaths.isSameOrBelow(to, from) || TreePaths.isSameOrBelow(from, to)
        || !isDir(parentOf(to))) {
      return Outcome.fail(CONFLICT);
    }
    if (tree.containsKey(to) && !overwrite) {
      return Outcome.fail(PRECONDITION_FAILED);
    }
    long jid = ++lastJid;
    removeSubtree(to);
    NavigableMap<String, Node> moving =
        recursive ? subtree(from) : new TreeMap<>(Map.of(from, src));
    if (move) {
      removeSubtree(from);
    }
    for (Map.Entry<String, Node> e : moving.entrySet()) {
      Node n = e.getValue();
      Node landed = move ? n.moved(jid) : n.copied(jid, ++lastId);
      tree.put(TreePaths.rebase(e.getKey(), from, to), landed);
    }
    return new Outcome(null, move ? ChangeKind.MOVE : ChangeKind.COPY, from, to);
  }

  /** {@code path} and everything below it, in code point order. */
  NavigableMap<String, Node> subtree(String path) {
    TreeMap<String, Node> out = new TreeMap<>(tree.comparator());
    if (path.equals(TreePaths.ROOT)) {
      out.putAll(tree);
      return out;
    }
    Node top = tree.get(path);
    if (top != null) {
      out.put(path, top);
    }
    // In code point order every path below p lies in [p + "/", p + "0").
    out.putAll(tree.subMap(path + "/", true, path + "0", false));
    return out;
  }

  private void removeSubtree(String path) {
    tree.remove(path);
    tree.subMap(path + "/", true, path + "0", false).clear();
  }

  private boolean isDir(String path) {
    Node n = path == null ? null : tree.get(path);
    return n != null && n.kind() == EntryKind.DIRECTORY;
  }

  private static String parentOf(String path) {
    return path.equals(TreePaths.ROOT) ? null : TreePaths.parent(path);
  }

  private static boolean meets(Expect expect, Node current) {
    return switch (expect) {
      case Expect.Any a -> true;
      case Expect.Absent a -> current == null;
      case Expect.Present p -> current != null;
      case Expect.Version v -> current != null && current.version() == v.version();
    };
  }
}
