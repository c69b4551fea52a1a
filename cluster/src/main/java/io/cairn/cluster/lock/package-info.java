/**
 * WebDAV write locks (RFC 4918 §6, §7) as a service of their own: the {@link
 * io.cairn.cluster.lock.LockManager} contract, the value types it speaks in, and {@link
 * io.cairn.cluster.lock.LocalLockManager}, the in-memory backend for a single node.
 *
 * <p>Locks live here and not in the journal (design: "locks in the lock manager"). This package
 * knows nothing of HTTP, XML or milton: the protocol layer parses LOCK requests and If headers,
 * and asks this package only which locks exist and whether a set of submitted tokens allows a
 * change. Time comes from an injected {@link java.time.Clock}, so locks expire by their timeout
 * (design invariant 5) and tests can move time by hand.
 */
package io.cairn.cluster.lock;
