package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.milton.http.ResourceFactory;
import io.milton.resource.Resource;

/**
 * milton's view of the tree: a raw request path (milton's URL adapter is set to hand it over
 * undecoded) resolves through the {@link DavMount} to a {@link FileResource}, a {@link
 * FolderResource}, or null when nothing lives there. A path that fails {@link PathCodec}'s checks
 * throws a {@link DavException} (400/414) before storage is asked.
 */
public class DavResourceFactory implements ResourceFactory {
  private final DavSite site;

  public DavResourceFactory(DavSite site) {
    this.site = site;
  }

  @Override
  public Resource getResource(String host, String rawPath) {
    return resourceFor(site, site.mount().resolve(rawPath));
  }

  /** The resource at {@code p}, or null. */
  public static DavResource resourceFor(DavSite site, FilePath p) {
    return resourceFor(site, p, site.store().entry(p));
  }

  /** The resource for an entry already read, or null when {@code e} is null. */
  public static DavResource resourceFor(DavSite site, FilePath p, Entry e) {
    if (e == null) {
      return null;
    }
    return e.isDirectory() ? new FolderResource(site, p, e) : new FileResource(site, p, e);
  }
}
