package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.webdav.Await;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.property.PropertySource;
import io.milton.resource.Resource;
import java.time.Instant;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * The two live lock properties of every lockable resource, for PROPFIND (named, allprop and
 * propname): {@code DAV:lockdiscovery}, the live locks covering it (RFC 4918 §15.8), and {@code
 * DAV:supportedlock}, exclusive and shared write (§15.10). Both are protected: PROPPATCH cannot set
 * or remove them (§15). {@link LockValueWriter} turns the values into XML.
 */
final class LockPropertySource implements PropertySource {
  static final QName LOCK_DISCOVERY = new QName(LockXml.DAV, "lockdiscovery");
  static final QName SUPPORTED_LOCK = new QName(LockXml.DAV, "supportedlock");

  /** The value of {@code lockdiscovery}: the locks and their root hrefs, in the same order. */
  record LockDiscovery(List<ActiveLock> locks, List<String> rootHrefs, Instant now) {}

  /** The value of {@code supportedlock}, always the same two entries. */
  record SupportedLock() {}

  private final LockContext context;

  LockPropertySource(LockContext context) {
    this.context = context;
  }

  @Override
  public Object getProperty(QName name, Resource r) {
    LockTarget target = context.targets.locate(r);
    if (target == null) {
      return null;
    }
    if (SUPPORTED_LOCK.equals(name)) {
      return new SupportedLock();
    }
    if (!LOCK_DISCOVERY.equals(name)) {
      return null;
    }
    Request request = HttpManager.request();
    List<ActiveLock> locks = Await.result(context.locks.locks(target.ns(), target.path()));
    List<String> roots = locks.stream().map(l -> context.rootHref(request, l)).toList();
    return new LockDiscovery(locks, roots, context.clock.instant());
  }

  @Override
  public PropertyMetaData getPropertyMetaData(QName name, Resource r) {
    if (!LOCK_DISCOVERY.equals(name) && !SUPPORTED_LOCK.equals(name)
        || context.targets.locate(r) == null) {
      return PropertyMetaData.UNKNOWN;
    }
    Class<?> type = LOCK_DISCOVERY.equals(name) ? LockDiscovery.class : SupportedLock.class;
    return new PropertyMetaData(PropertyAccessibility.READ_ONLY, type);
  }

  @Override
  public void setProperty(QName name, Object value, Resource r) {
    throw new PropertySetException(Response.Status.SC_FORBIDDEN, name + " is protected");
  }

  @Override
  public void clearProperty(QName name, Resource r) {
    throw new PropertySetException(Response.Status.SC_FORBIDDEN, name + " is protected");
  }

  @Override
  public List<QName> getAllPropertyNames(Resource r) {
    return context.targets.locate(r) == null ? List.of() : List.of(LOCK_DISCOVERY, SUPPORTED_LOCK);
  }
}
