package io.cairn.webdav.lock;

import io.milton.http.webdav.ResourceTypeHelper;
import io.milton.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * Makes milton's {@code DAV:} response header say {@code 1, 2} for every resource. milton asks its
 * ResourceTypeHelper for the compliance classes and answers {@code 2} only for its own
 * LockableResource; Cairn locks everything through its own handlers instead. Class 2 implies class
 * 1 (RFC 4918 §18.2), and clients such as davfs2 refuse a server that names 2 without 1.
 */
final class ClassTwoTypeHelper implements ResourceTypeHelper {
  private final ResourceTypeHelper wrapped;

  ClassTwoTypeHelper(ResourceTypeHelper wrapped) {
    this.wrapped = wrapped;
  }

  @Override
  public List<QName> getResourceTypes(Resource r) {
    return wrapped.getResourceTypes(r);
  }

  @Override
  public List<String> getSupportedLevels(Resource r) {
    List<String> levels = new ArrayList<>(List.of("1", "2"));
    for (String level : wrapped.getSupportedLevels(r)) {
      if (!levels.contains(level)) {
        levels.add(level);
      }
    }
    return levels;
  }
}
