package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockManager;
import io.cairn.cluster.lock.PathWrite;
import io.cairn.webdav.DavException;
import io.cairn.webdav.props.LiveProperty;
import io.milton.http.Filter;
import io.milton.http.HttpExtension;
import io.milton.http.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * WebDAV class 2 (RFC 4918 §18.2) for one site, as three parts the front door assembles like its
 * own: the LOCK and UNLOCK handlers ({@link #handlers}), the lock filter ({@link #filter}), which
 * runs after the error mapping and before dispatch, and the lock properties ({@link
 * #liveProperties}) for the site's live property registry. The one entry point of this package.
 */
public final class LockSupport {
  /**
   * The longest a lock lives without a refresh: one hour. Clients that want longer ({@code
   * Infinite}, or no Timeout header) get this and refresh; a lock left by a vanished client or node
   * is gone within the hour (design invariant 5).
   */
  public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofHours(1);

  private final LockContext context;

  private LockSupport(LockContext context) {
    this.context = context;
  }

  /**
   * Class 2 over {@code locks}.
   *
   * @param locks where locks live (local or clustered)
   * @param targets the resource layer's answers about URLs and paths
   * @param clock the clock {@code locks} uses, for the remaining time shown in {@code
   *     DAV:timeout}
   * @param maxTimeout the longest timeout granted; positive
   * @param maxBodyBytes the largest LOCK body read; a larger one is refused with a {@link
   *     io.cairn.webdav.DavException} 413
   */
  public static LockSupport create(
      LockManager locks, LockTargets targets, Clock clock, Duration maxTimeout, int maxBodyBytes) {
    if (maxTimeout.isZero() || maxTimeout.isNegative()) {
      throw new IllegalArgumentException("the maximum lock timeout must be positive");
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("the LOCK body limit must be positive");
    }
    return new LockSupport(
        new LockContext(
            Objects.requireNonNull(locks, "locks"),
            Objects.requireNonNull(targets, "targets"),
            Objects.requireNonNull(clock, "clock"),
            maxTimeout,
            maxBodyBytes));
  }

  /** The LOCK and UNLOCK handlers (RFC 4918 §9.10, §9.11). */
  public HttpExtension handlers() {
    return new LockExtension(context);
  }

  /**
   * The If header and lock enforcement on every state-changing method (RFC 4918 §10.4, §7); it
   * throws its refusals, so it must run after the error mapping.
   */
  /**
   * For a write that the lock filter does not see (the MOVE that makes a chunked upload a file,
   * whose Destination lies under another URL base): a 423 when a lock held by someone else covers
   * {@code target}, unless the request's {@code If} header submits its token.
   *
   * @param exists whether something is at {@code target} (the write replaces it, else creates it)
   */
  public void checkWrite(Request request, LockTarget target, boolean exists) {
    IfHeader header;
    try {
      header = IfHeader.parse(request.getIfHeader());
    } catch (IfHeader.Malformed e) {
      throw DavException.badRequest("malformed " + e.getMessage());
    }
    Set<String> tokens = header == null ? Set.of() : header.stateTokens();
    PathWrite write = exists ? PathWrite.replace(target.path()) : PathWrite.create(target.path());
    List<ActiveLock> blocking = context.blocking(Map.of(target.ns(), List.of(write)), tokens);
    if (!blocking.isEmpty()) {
      throw context.tokenSubmitted(request, blocking);
    }
  }

  public Filter filter() {
    return new LockFilter(context);
  }

  /** {@code DAV:lockdiscovery} and {@code DAV:supportedlock} (RFC 4918 §15.8, §15.10). */
  public List<LiveProperty> liveProperties() {
    return LockProperties.of(context.locks, context.targets, context.clock);
  }
}
