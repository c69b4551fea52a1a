package io.cairn.webdav;

import io.cairn.webdav.auth.DavUser;

/**
 * Which namespace a URL lands in. Either one configured namespace for the whole URL space (no
 * authentication), or, {@link #perUser()}, the home namespace of the request's {@link DavUser}: the
 * namespace comes from who the user is, never from the URL, so no path can name another one.
 */
public final class DavMount {
  private final String namespace;

  public DavMount(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("a mount needs a namespace");
    }
    this.namespace = namespace;
  }

  private DavMount() {
    this.namespace = null;
  }

  /** A mount that shows each authenticated user their home namespace. */
  public static DavMount perUser() {
    return new DavMount();
  }

  /** Whether URLs map to the request user's home. */
  public boolean isPerUser() {
    return namespace == null;
  }

  /** The configured namespace, or null for a per-user mount. */
  public String namespace() {
    return namespace;
  }

  /**
   * Whether a URL can be resolved on this thread now: always for a fixed mount; for a per-user one
   * only inside an authenticated request.
   */
  public boolean canResolve() {
    return namespace != null || DavUser.current() != null;
  }

  /**
   * The namespace path a raw request path names; see {@link PathCodec#decode}.
   *
   * @throws DavException 400 or 414 for a path that must not reach storage; 401 on a per-user
   *     mount outside an authenticated request
   */
  public DavPath resolve(String rawPath) {
    String path = PathCodec.decode(rawPath);
    return new DavPath(currentNamespace(), path);
  }

  private String currentNamespace() {
    if (namespace != null) {
      return namespace;
    }
    DavUser user = DavUser.current();
    if (user == null) {
      throw new DavException(401, "authentication required");
    }
    return user.home();
  }

  /** The absolute URL path (href) of {@code p}; collections end with a slash. */
  public String href(DavPath p, boolean collection) {
    return PathCodec.encode(p.path(), collection);
  }
}
