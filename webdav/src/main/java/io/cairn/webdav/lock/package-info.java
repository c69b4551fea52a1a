/**
 * WebDAV class 2: the handlers for LOCK and UNLOCK (RFC 4918 §9.10, §9.11), a filter that
 * evaluates the If header (§10.4) and enforces locks on every state-changing method (§7), and the
 * {@code DAV:lockdiscovery} and {@code DAV:supportedlock} live properties (§15.8, §15.10). The
 * class 2 {@code DAV:} header is on every response (see the response adapter); refusals are thrown
 * for the one error filter to answer.
 *
 * <p>Locks live in a {@link io.cairn.cluster.lock.LockManager}; this package speaks HTTP and XML
 * around it. It knows the resource layer only through {@link io.cairn.webdav.lock.LockTargets},
 * and the front door takes its parts from {@link io.cairn.webdav.lock.LockSupport}.
 */
package io.cairn.webdav.lock;
