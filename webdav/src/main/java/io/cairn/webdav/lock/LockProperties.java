package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockManager;
import io.cairn.storage.PropertyName;
import io.cairn.files.Await;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.webdav.props.PropertyContext;
import io.milton.http.HttpManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The two live lock properties of every resource, as entries of the site's live property registry:
 * {@code DAV:lockdiscovery}, the live locks covering it (RFC 4918 §15.8), and {@code
 * DAV:supportedlock}, exclusive and shared write (§15.10). Both are in allprop and protected, as
 * every live property is (§15).
 */
final class LockProperties {
  private LockProperties() {}

  static List<LiveProperty> of(LockManager locks, LockTargets targets, Clock clock) {
    String supported = LockXml.supportedLockEntries("D");
    return List.of(
        LiveProperty.of(new PropertyName(LockXml.DAV, "lockdiscovery"), true, ctx -> discovery(ctx, locks, targets, clock)),
        LiveProperty.of(new PropertyName(LockXml.DAV, "supportedlock"), true, ctx -> supported));
  }

  private static String discovery(PropertyContext ctx, LockManager locks, LockTargets targets, Clock clock) {
    List<ActiveLock> found = Await.result(locks.locks(ctx.path().ns(), ctx.path().path()));
    if (found.isEmpty()) {
      // The common case, asked of every child by allprop: no clock read, no builder.
      return "";
    }
    Instant now = clock.instant();
    StringBuilder out = new StringBuilder();
    for (ActiveLock lock : found) {
      String root = targets.href(HttpManager.request(), new LockTarget(lock.ns(), lock.root()));
      LockXml.activeLock(out, "D", lock, root, now);
    }
    return out.toString();
  }
}
