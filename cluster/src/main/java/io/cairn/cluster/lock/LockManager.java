package io.cairn.cluster.lock;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The WebDAV write locks of every namespace (RFC 4918 §6, §7), keyed by namespace and path. One
 * instance serves the whole node; in a cluster every node's instance sees the same locks (design
 * invariant 5).
 *
 * <p>Every method returns at once and completes its future later; a backend whose state is remote
 * (Hazelcast) must not block the caller's thread, a local one may complete before returning. All
 * methods are safe to call from any thread. Time is the backend's injected {@link java.time.Clock}:
 * a lock is live while that clock reads before its {@link ActiveLock#expires()}, and an expired
 * lock behaves in every method exactly as if it had been removed.
 *
 * <p>Failures are {@link io.cairn.core.CairnException}s. Every method fails with CONFLICT for
 * a path that is not {@link io.cairn.core.TreePaths#isValid valid}; a clustered backend may also
 * fail with TRANSIENT. Paths are not checked against the journal: a lock may sit on a path where
 * nothing lives (the protocol layer creates the empty file of RFC 4918 §7.3 itself).
 */
public interface LockManager {

  /**
   * Creates a lock (RFC 4918 §9.10). Atomic: of two conflicting creates racing, at most one
   * succeeds.
   *
   * <p>Fails with LOCKED (HTTP 423, {@code DAV:no-conflicting-lock}) when a live lock conflicts:
   * an exclusive lock conflicts with any other lock that shares a resource with it, a shared lock
   * only with exclusive ones; a depth-infinity lock shares every resource below its root, so it
   * conflicts with locks on descendants and they with it. Fails with CONFLICT when the timeout is
   * not positive.
   *
   * @return the new lock, with a fresh token and an expiry of now plus the timeout
   */
  Future<ActiveLock> create(String ns, LockInfo info);

  /**
   * Restarts the timeout of the live lock with this token, which must cover {@code path} (RFC 4918
   * §9.10.2: the refresh is sent to the root or to any resource in the lock's scope). Never
   * creates a lock.
   *
   * <p>Fails with PRECONDITION_FAILED (HTTP 412, {@code DAV:lock-token-matches-request-uri}) when
   * there is no such live lock: the token is unknown, expired, unlocked, or belongs to a lock that
   * does not cover {@code path}. Fails with CONFLICT when the timeout is not positive.
   *
   * @return the refreshed lock, with an expiry of now plus {@code timeout}
   */
  Future<ActiveLock> refresh(String ns, String path, String token, Duration timeout);

  /**
   * Removes the live lock with this token, which must cover {@code path} (RFC 4918 §9.11).
   *
   * <p>Fails with CONFLICT (HTTP 409, {@code DAV:lock-token-matches-request-uri}) when there is no
   * such live lock.
   */
  Future<Void> unlock(String ns, String path, String token);

  /**
   * The live locks that forbid the given writes because none of their tokens was submitted (RFC
   * 4918 §7.4, §7.5). Each write names resources that must be unlocked or unlocked by a submitted
   * token (see {@link PathWrite.Kind}): the path itself, its parent when membership changes, and
   * the roots of locks below it when the subtree is replaced or removed. A resource is satisfied
   * when no live lock covers it, or when the token of at least one lock covering it is in {@code
   * tokens} (several covering locks can only be shared ones, and any holder may write).
   *
   * <p>The answer is a check, not a reservation: a lock created right after it is not seen. That
   * window is the same as a LOCK arriving just after the write.
   *
   * @param tokens the lock tokens the request submitted (every state token of its If header)
   * @return for every unsatisfied resource, the locks covering it, each lock once, ordered by root
   *     then token; empty when the writes are allowed
   */
  Future<List<ActiveLock>> confirm(String ns, Collection<PathWrite> writes, Set<String> tokens);

  /**
   * The live locks covering {@code path}: those rooted there, and the depth-infinity ones rooted
   * above it, ordered by root then token. This is {@code DAV:lockdiscovery} (RFC 4918 §15.8) and
   * the state the If header's state tokens are matched against (RFC 4918 §10.4.4).
   */
  Future<List<ActiveLock>> locks(String ns, String path);

  /**
   * Removes every lock rooted at {@code path} or below it, after that subtree was deleted or moved
   * away (RFC 4918 §9.6.1, §9.9.1: locks do not follow a MOVE). Locks rooted above {@code path}
   * stay.
   *
   * @return how many live locks were removed
   */
  Future<Integer> removeTree(String ns, String path);
}
