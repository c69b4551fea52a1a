package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import java.util.List;

/**
 * Which namespace a URL lands in. Either one configured namespace for the whole URL space (no
 * authentication), or, {@link #perUser()}, the home namespace of the request's {@link Caller}: the
 * namespace comes from who the user is, never from the URL, so no path can name another one.
 * The one exception is a shared namespace granted to the user: its top-level folder {@code
 * /<folder>/} maps to that namespace's root (and shadows a home folder of the same name); a
 * folder name the user holds no grant for is an ordinary path in their home (ADR 0003).
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
    return namespace != null || Caller.current() != null;
  }

  /**
   * The namespace path a raw request path names; see {@link PathCodec#decode}.
   *
   * @throws DavException 400 or 414 for a path that must not reach storage; 401 on a per-user
   *     mount outside an authenticated request
   */
  public FilePath resolve(String rawPath) {
    return caller().locate(PathCodec.decode(rawPath));
  }

  /**
   * Who the request this thread serves runs as: the authenticated {@link Caller}, or on a fixed
   * mount the anonymous caller of its namespace.
   *
   * @throws DavException 401 on a per-user mount outside an authenticated request
   */
  public Caller caller() {
    if (namespace != null) {
      return Caller.anonymous(namespace);
    }
    Caller user = Caller.current();
    if (user == null) {
      throw new DavException(401, "authentication required");
    }
    return user;
  }

  /**
   * The shared namespaces shown as folders inside {@code dir}: those of the request's user when
   * {@code dir} is the root of their home, else none.
   */
  public List<Caller.Share> sharesIn(FilePath dir) {
    return canResolve() ? caller().sharesIn(dir) : List.of();
  }

  /**
   * The absolute URL path (href) of {@code p}, under the request's {@link UrlBase}; collections
   * end with a slash.
   */
  public String href(FilePath p, boolean collection) {
    Caller c = canResolve() ? caller() : null;
    String view = c == null ? null : c.viewPath(p);
    if (view == null) {
      return UrlBase.currentHref(PathCodec.encode(p.path(), collection));
    }
    // A share's root is a folder in the view, whatever the caller asked.
    return UrlBase.currentHref(PathCodec.encode(view, collection || (p.isRoot() && !p.ns().equals(c.home()))));
  }
}
