package io.cairn.cluster.lock;

import io.cairn.core.TreePaths;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A lock as it exists (RFC 4918 §14.1, {@code DAV:activelock}). Immutable: a refresh yields a new
 * value with a later {@link #expires()}.
 *
 * @param token the lock token, a URI such as {@code urn:uuid:…} (RFC 4918 §6.5)
 * @param ns the namespace the lock lives in
 * @param root the path the lock was created on
 * @param scope exclusive or shared
 * @param depth zero or infinity
 * @param owner the {@code DAV:owner} content as XML text, verbatim; null when the client gave none
 * @param timeout the timeout granted at creation or at the last refresh
 * @param expires the instant at which the lock disappears unless refreshed before
 */
public record ActiveLock(
    String token,
    String ns,
    String root,
    LockScope scope,
    LockDepth depth,
    String owner,
    Duration timeout,
    Instant expires) {

  public ActiveLock {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(ns, "ns");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(depth, "depth");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(expires, "expires");
  }

  /** A new lock as {@code info} asks for it, with a fresh token, taken at {@code now}. */
  public static ActiveLock granted(String ns, LockInfo info, Instant now) {
    return new ActiveLock(
        "urn:uuid:" + UUID.randomUUID(),
        ns,
        info.path(),
        info.scope(),
        info.depth(),
        info.owner(),
        info.timeout(),
        now.plus(info.timeout()));
  }

  /** True while {@code now} is before the expiry. */
  public boolean isLive(Instant now) {
    return now.isBefore(expires);
  }

  /** The time left at {@code now}; zero once expired. */
  public Duration remaining(Instant now) {
    Duration left = Duration.between(now, expires);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * True when {@code path} is in the scope of this lock: the root itself, or any path below it when
   * the depth is infinity (RFC 4918 §7.4: a lock "covers" those resources).
   */
  public boolean covers(String path) {
    return root.equals(path)
        || (depth == LockDepth.INFINITY && TreePaths.isSameOrBelow(path, root));
  }

  /**
   * True when this lock and {@code other} cannot both exist (RFC 4918 §6.1, §9.10.3): they share a
   * resource, and at least one of them is exclusive. Locks in different namespaces never conflict.
   */
  public boolean conflictsWith(ActiveLock other) {
    if (!ns.equals(other.ns)) {
      return false;
    }
    if (scope == LockScope.SHARED && other.scope == LockScope.SHARED) {
      return false;
    }
    return covers(other.root) || other.covers(root);
  }

  /** This lock with a new timeout counted from {@code now}. */
  public ActiveLock refreshed(Instant now, Duration newTimeout) {
    return new ActiveLock(token, ns, root, scope, depth, owner, newTimeout, now.plus(newTimeout));
  }
}
