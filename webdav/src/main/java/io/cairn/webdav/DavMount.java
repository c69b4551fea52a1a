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
    String path = PathCodec.decode(rawPath);
    if (namespace == null && !path.equals(TreePaths.ROOT)) {
      Caller user = Caller.current();
      if (user != null && !user.shares().isEmpty()) {
        int slash = path.indexOf('/', 1);
        String first = slash < 0 ? path.substring(1) : path.substring(1, slash);
        Caller.Share share = user.shareByFolder(first);
        if (share != null) {
          return new FilePath(share.ns(), slash < 0 ? TreePaths.ROOT : path.substring(slash));
        }
      }
    }
    return new FilePath(currentNamespace(), path);
  }

  /**
   * The shared namespaces shown as folders inside {@code dir}: those of the request's user when
   * {@code dir} is the root of their home, else none.
   */
  public List<Caller.Share> sharesIn(FilePath dir) {
    Caller user = namespace == null ? Caller.current() : null;
    if (user == null || !dir.isRoot() || !dir.ns().equals(user.home())) {
      return List.of();
    }
    return user.shares();
  }

  private String currentNamespace() {
    if (namespace != null) {
      return namespace;
    }
    Caller user = Caller.current();
    if (user == null) {
      throw new DavException(401, "authentication required");
    }
    return user.home();
  }

  /** The absolute URL path (href) of {@code p}; collections end with a slash. */
  public String href(FilePath p, boolean collection) {
    Caller user = namespace == null ? Caller.current() : null;
    if (user != null && !p.ns().equals(user.home())) {
      Caller.Share share = user.shareOf(p.ns());
      if (share != null) {
        String inside = p.isRoot() ? "" : p.path();
        return PathCodec.encode("/" + share.folder() + inside, collection || p.isRoot());
      }
    }
    return PathCodec.encode(p.path(), collection);
  }
}
