package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockManager;
import io.cairn.cluster.lock.PathWrite;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.milton.http.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the filter, the handlers and the property source share: the lock manager, the resource
 * layer's answers, the clock, the timeout cap, the body limit, and the few questions all of them
 * ask.
 */
final class LockContext {
  final LockManager locks;
  final LockTargets targets;
  final Clock clock;
  final Duration maxTimeout;
  /** The largest LOCK body read (413 above), the same as for every XML body of the site. */
  final int maxBodyBytes;

  LockContext(LockManager locks, LockTargets targets, Clock clock, Duration maxTimeout, int maxBodyBytes) {
    this.locks = locks;
    this.targets = targets;
    this.clock = clock;
    this.maxTimeout = maxTimeout;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Evaluates an If header for a request (RFC 4918 §10.4): untagged lists against {@code
   * requestTarget}, tagged ones against the place their tag names. Each place is looked up once.
   */
  boolean holds(IfHeader header, Request request, LockTarget requestTarget) {
    Map<String, IfHeader.ResourceState> seen = new HashMap<>();
    return header.evaluate(
        tag -> {
          String key = tag == null ? "" : tag;
          IfHeader.ResourceState known = seen.get(key);
          if (known == null) {
            LockTarget t = tag == null ? requestTarget : targets.locate(request, tag);
            known = stateOf(t);
            seen.put(key, known);
          }
          return known;
        });
  }

  /** The entity tag and the covering lock tokens of a place; NONE for null. */
  IfHeader.ResourceState stateOf(LockTarget t) {
    if (t == null) {
      return IfHeader.ResourceState.NONE;
    }
    LockTargets.TargetState state = targets.state(t);
    Set<String> tokens =
        Await.result(locks.locks(t.ns(), t.path())).stream()
            .map(ActiveLock::token)
            .collect(Collectors.toSet());
    return new IfHeader.ResourceState(state == null ? null : state.etag(), tokens);
  }

  /** The locks forbidding the writes, namespace by namespace; empty when all are allowed. */
  List<ActiveLock> blocking(Map<String, List<PathWrite>> writes, Set<String> tokens) {
    List<ActiveLock> found = new ArrayList<>();
    writes.forEach((ns, list) -> found.addAll(Await.result(locks.confirm(ns, list, tokens))));
    return found;
  }

  /** The distinct root hrefs of the locks, in order: for error bodies. */
  List<String> rootHrefs(Request request, Collection<ActiveLock> list) {
    Set<String> hrefs = new LinkedHashSet<>();
    list.forEach(l -> hrefs.add(rootHref(request, l)));
    return List.copyOf(hrefs);
  }

  String rootHref(Request request, ActiveLock lock) {
    return targets.href(request, new LockTarget(lock.ns(), lock.root()));
  }

  /** The 423 for a write whose tokens were missing, naming the locks' roots (RFC 4918 §16). */
  DavException tokenSubmitted(Request request, Collection<ActiveLock> blocking) {
    return new DavException(
        423, "locked", "lock-token-submitted", LockXml.hrefs(rootHrefs(request, blocking)));
  }
}
