package io.cairn.webdav;

/**
 * Which namespace a URL lands in. For now the whole URL space is one namespace, named by the
 * configuration; per-user home namespaces will add a first path segment here and nowhere else.
 */
public final class DavMount {
  private final String namespace;

  public DavMount(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("a mount needs a namespace");
    }
    this.namespace = namespace;
  }

  /** The namespace every URL maps to. */
  public String namespace() {
    return namespace;
  }

  /**
   * The namespace path a raw request path names; see {@link PathCodec#decode}.
   *
   * @throws DavException 400 or 414 for a path that must not reach storage
   */
  public DavPath resolve(String rawPath) {
    return new DavPath(namespace, PathCodec.decode(rawPath));
  }

  /** The absolute URL path (href) of {@code p}; collections end with a slash. */
  public String href(DavPath p, boolean collection) {
    return PathCodec.encode(p.path(), collection);
  }
}
