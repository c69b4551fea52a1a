package io.cairn.cluster.lock;

import io.cairn.core.TreePaths;
import java.util.Objects;

/**
 * One effect a request has on one path, as far as locks care (RFC 4918 §7, §7.5). {@link
 * LockManager#confirm} turns a list of these into the resources whose locks need a token.
 *
 * @param path the path written, valid per {@link TreePaths}
 * @param kind what happens to it
 */
public record PathWrite(String path, Kind kind) {

  /** What a request does to the path. */
  public enum Kind {
    /**
     * Changes the resource's content or properties; its parent's membership stays (PUT over an
     * existing file, PROPPATCH). Needs a token for the resource.
     */
    MODIFY,
    /**
     * Replaces the resource and everything below it in place (the existing destination of COPY or
     * MOVE with {@code Overwrite: T}). Needs a token for the resource and for every locked resource
     * below it; not for the parent, whose membership does not change.
     */
    REPLACE,
    /**
     * Adds the path as a new member of its parent (PUT of a new file, MKCOL, LOCK on an unmapped
     * URL, COPY or MOVE to a new destination). Needs a token for the parent (its membership
     * changes) and for the path itself should a lock still sit on it.
     */
    CREATE,
    /**
     * Removes the path and everything below it (DELETE, the source of MOVE). Needs a token for the
     * parent, for the resource and for every locked resource below it.
     */
    REMOVE
  }

  public PathWrite {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }

  public static PathWrite modify(String path) {
    return new PathWrite(path, Kind.MODIFY);
  }

  public static PathWrite replace(String path) {
    return new PathWrite(path, Kind.REPLACE);
  }

  public static PathWrite create(String path) {
    return new PathWrite(path, Kind.CREATE);
  }

  public static PathWrite remove(String path) {
    return new PathWrite(path, Kind.REMOVE);
  }

  /** True when the parent's membership changes, so locks on the parent matter. */
  public boolean touchesParent() {
    return (kind == Kind.CREATE || kind == Kind.REMOVE) && !path.equals(TreePaths.ROOT);
  }

  /** True when resources below the path are affected, so locks rooted below it matter. */
  public boolean touchesDescendants() {
    return kind == Kind.REPLACE || kind == Kind.REMOVE;
  }
}
