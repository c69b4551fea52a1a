package io.cairn.webdav.lock;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.milton.http.Auth;
import io.milton.http.Range;
import io.milton.http.Request;
import io.milton.http.ResourceFactory;
import io.milton.http.exceptions.ConflictException;
import io.milton.property.PropertySource.PropertyAccessibility;
import io.milton.property.PropertySource.PropertyMetaData;
import io.milton.resource.CollectionResource;
import io.milton.resource.CopyableResource;
import io.milton.resource.DeletableResource;
import io.milton.resource.GetableResource;
import io.milton.resource.MakeCollectionableResource;
import io.milton.resource.MoveableResource;
import io.milton.resource.MultiNamespaceCustomPropertyResource;
import io.milton.resource.PropFindableResource;
import io.milton.resource.PutableResource;
import io.milton.resource.ReplaceableResource;
import io.milton.resource.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * TEST ONLY: milton resources over a {@link MemoryTree}, just enough for litmus's basic, copymove,
 * props and locks suites to reach the lock support. Every resource is a snapshot of its node.
 */
final class MemoryResources implements ResourceFactory {
  private final MemoryTree tree;

  MemoryResources(MemoryTree tree) {
    this.tree = tree;
  }

  @Override
  public Resource getResource(String host, String url) {
    String path = MemoryTargets.pathOf(url);
    return path == null ? null : resource(path);
  }

  Resource resource(String path) {
    MemoryTree.Node node = tree.get(path);
    if (node == null) {
      return null;
    }
    return node.dir() ? new Folder(path, node) : new File(path, node);
  }

  /** What files and folders share. */
  abstract class Node
      implements PropFindableResource,
          DeletableResource,
          MoveableResource,
          CopyableResource,
          MultiNamespaceCustomPropertyResource {
    final String path;
    final MemoryTree.Node node;

    Node(String path, MemoryTree.Node node) {
      this.path = path;
      this.node = node;
    }

    @Override
    public String getUniqueId() {
      return path.hashCode() + "-" + node.version();
    }

    @Override
    public String getName() {
      return TreePaths.name(path);
    }

    @Override
    public Object authenticate(String user, String password) {
      return user;
    }

    @Override
    public boolean authorise(Request request, Request.Method method, Auth auth) {
      return true;
    }

    @Override
    public String getRealm() {
      return "cairn-test";
    }

    @Override
    public Date getModifiedDate() {
      return node.modified();
    }

    @Override
    public Date getCreateDate() {
      return node.modified();
    }

    @Override
    public String checkRedirect(Request request) {
      return null;
    }

    @Override
    public void delete() {
      tree.delete(path);
    }

    @Override
    public void moveTo(CollectionResource dest, String name) throws ConflictException {
      transfer(dest, name, true);
    }

    @Override
    public void copyTo(CollectionResource dest, String name) throws ConflictException {
      transfer(dest, name, false);
    }

    private void transfer(CollectionResource dest, String name, boolean move)
        throws ConflictException {
      try {
        tree.copy(path, TreePaths.child(((Node) dest).path, name), move);
      } catch (CairnException e) {
        throw new ConflictException(this, e.getMessage());
      }
    }

    @Override
    public Object getProperty(QName name) {
      return node.props().get(name);
    }

    @Override
    public void setProperty(QName name, Object value) {
      tree.setProperty(path, name, value == null ? null : value.toString());
    }

    @Override
    public PropertyMetaData getPropertyMetaData(QName name) {
      return LockXml.DAV.equals(name.getNamespaceURI())
          ? PropertyMetaData.UNKNOWN
          : new PropertyMetaData(PropertyAccessibility.WRITABLE, String.class);
    }

    @Override
    public List<QName> getAllPropertyNames() {
      return new ArrayList<>(node.props().keySet());
    }
  }

  final class File extends Node implements GetableResource, ReplaceableResource {
    File(String path, MemoryTree.Node node) {
      super(path, node);
    }

    @Override
    public void sendContent(
        OutputStream out, Range range, Map<String, String> params, String contentType)
        throws IOException {
      out.write(node.data());
    }

    @Override
    public Long getMaxAgeSeconds(Auth auth) {
      return null;
    }

    @Override
    public String getContentType(String accepts) {
      return "application/octet-stream";
    }

    @Override
    public Long getContentLength() {
      return (long) node.data().length;
    }

    @Override
    public void replaceContent(InputStream in, Long length) {
      tree.put(path, read(in));
    }
  }

  final class Folder extends Node
      implements CollectionResource, PutableResource, MakeCollectionableResource {
    Folder(String path, MemoryTree.Node node) {
      super(path, node);
    }

    @Override
    public Resource child(String name) {
      return resource(TreePaths.child(path, name));
    }

    @Override
    public List<? extends Resource> getChildren() {
      List<Resource> children = new ArrayList<>();
      for (String name : tree.children(path)) {
        Resource r = child(name);
        if (r != null) {
          children.add(r);
        }
      }
      return children;
    }

    @Override
    public Resource createNew(String name, InputStream in, Long length, String contentType)
        throws ConflictException {
      String p = TreePaths.child(path, name);
      try {
        tree.put(p, read(in));
      } catch (CairnException e) {
        throw new ConflictException(this, e.getMessage());
      }
      return resource(p);
    }

    @Override
    public CollectionResource createCollection(String name) throws ConflictException {
      String p = TreePaths.child(path, name);
      try {
        tree.mkdir(p);
      } catch (CairnException e) {
        throw new ConflictException(this, e.getMessage());
      }
      return (CollectionResource) resource(p);
    }
  }

  private static byte[] read(InputStream in) {
    try {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
