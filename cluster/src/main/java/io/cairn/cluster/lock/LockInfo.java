package io.cairn.cluster.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client asks for when it creates a lock: the body of a LOCK request (RFC 4918 §14.11,
 * {@code DAV:lockinfo}) together with its Depth and Timeout headers, already parsed and capped by
 * the protocol layer.
 *
 * @param path the lock root, a {@link io.cairn.core.TreePaths valid} path
 * @param scope exclusive or shared
 * @param depth zero or infinity
 * @param owner the {@code DAV:owner} content as XML text, kept verbatim; null when absent
 * @param timeout how long the lock lives without a refresh; positive
 */
public record LockInfo(
    String path, LockScope scope, LockDepth depth, String owner, Duration timeout) {

  public LockInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(depth, "depth");
    Objects.requireNonNull(timeout, "timeout");
  }
}
