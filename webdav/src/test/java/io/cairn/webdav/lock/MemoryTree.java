package io.cairn.webdav.lock;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.namespace.QName;

/**
 * TEST ONLY: a tiny in-memory file tree standing in for the journal, so that the lock support can
 * be driven through a real milton HttpManager without the webdav module's resource layer.
 */
final class MemoryTree {
  /** One file or folder; replaced, never mutated, except for its dead properties. */
  record Node(boolean dir, byte[] data, long version, Date modified, Map<QName, String> props) {}

  private final TreeMap<String, Node> nodes = new TreeMap<>();
  private final AtomicLong versions = new AtomicLong();

  MemoryTree() {
    nodes.put(TreePaths.ROOT, folder());
  }

  synchronized Node get(String path) {
    return nodes.get(path);
  }

  synchronized List<String> children(String path) {
    List<String> names = new ArrayList<>();
    for (String p : below(path)) {
      if (TreePaths.parent(p).equals(path)) {
        names.add(TreePaths.name(p));
      }
    }
    return names;
  }

  synchronized void put(String path, byte[] data) {
    requireParentFolder(path);
    Node old = nodes.get(path);
    if (old != null && old.dir()) {
      throw CairnException.conflict("a folder is in the way: " + path);
    }
    Map<QName, String> props = old == null ? new TreeMap<>(QNAME_ORDER) : old.props();
    nodes.put(path, new Node(false, data, versions.incrementAndGet(), new Date(), props));
  }

  synchronized void createFile(String path) {
    if (nodes.containsKey(path)) {
      throw CairnException.alreadyExists(path);
    }
    put(path, new byte[0]);
  }

  synchronized void mkdir(String path) {
    requireParentFolder(path);
    if (nodes.containsKey(path)) {
      throw CairnException.alreadyExists(path);
    }
    nodes.put(path, folder());
  }

  synchronized void delete(String path) {
    below(path).forEach(nodes::remove);
    nodes.remove(path);
  }

  synchronized void copy(String from, String to, boolean removeSource) {
    requireParentFolder(to);
    delete(to);
    List<String> tree = new ArrayList<>(below(from));
    tree.add(0, from);
    for (String p : tree) {
      Node n = nodes.get(p);
      Map<QName, String> props = new TreeMap<>(QNAME_ORDER);
      props.putAll(n.props());
      nodes.put(
          TreePaths.rebase(p, from, to),
          new Node(n.dir(), n.data(), versions.incrementAndGet(), new Date(), props));
    }
    if (removeSource) {
      delete(from);
    }
  }

  synchronized void setProperty(String path, QName name, String value) {
    Node n = nodes.get(path);
    if (value == null) {
      n.props().remove(name);
    } else {
      n.props().put(name, value);
    }
  }

  private List<String> below(String path) {
    String from = path.equals(TreePaths.ROOT) ? TreePaths.ROOT : path + "/";
    String to = path.equals(TreePaths.ROOT) ? "0" : path + "0";
    return new ArrayList<>(nodes.subMap(from, false, to, false).keySet());
  }

  private void requireParentFolder(String path) {
    Node parent = path.equals(TreePaths.ROOT) ? null : nodes.get(TreePaths.parent(path));
    if (parent == null || !parent.dir()) {
      throw CairnException.conflict("no parent folder for " + path);
    }
  }

  private Node folder() {
    return new Node(true, null, versions.incrementAndGet(), new Date(), new TreeMap<>(QNAME_ORDER));
  }

  private static final java.util.Comparator<QName> QNAME_ORDER =
      java.util.Comparator.comparing(QName::getNamespaceURI).thenComparing(QName::getLocalPart);
}
