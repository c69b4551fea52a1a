package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.milton.http.Auth;
import io.milton.http.Request;
import io.milton.resource.PropFindableResource;
import java.util.Date;

/**
 * A path that exists, as milton sees it: a snapshot of its entry taken when it was resolved
 * (milton reads attributes such as {@link #getModifiedDate()} after {@link #delete()}, so nothing
 * here goes back to storage for them).
 *
 * <p>Cairn's own method handlers work on {@link #davPath()} and {@link #entry()}. The milton
 * interfaces here are read-only on purpose: every change goes through a handler, which checks
 * quota, preconditions and locks and records the author; milton's write interfaces would commit
 * without any of them.
 */
public abstract class DavResource implements PropFindableResource {
  protected final DavSite site;
  protected final FilePath path;
  protected final Entry entry;

  protected DavResource(DavSite site, FilePath path, Entry entry) {
    this.site = site;
    this.path = path;
    this.entry = entry;
  }

  /** The namespace path. */
  public FilePath davPath() {
    return path;
  }

  /** The entry as it was when this resource was resolved. */
  public Entry entry() {
    return entry;
  }

  /** The strong ETag of a file, null for a directory. */
  public String etag() {
    return ContentHash.etag(entry.contentHash());
  }

  /** The href of this resource. */
  public String href() {
    return site.mount().href(path, entry.isDirectory());
  }

  @Override
  public String getUniqueId() {
    return entry.isDirectory() ? null : entry.contentHash();
  }

  @Override
  public String getName() {
    return entry.name();
  }

  @Override
  public Object authenticate(String user, String password) {
    return null;
  }

  @Override
  public boolean authorise(Request request, Request.Method method, Auth auth) {
    return true;
  }

  @Override
  public String getRealm() {
    return "cairn";
  }

  @Override
  public Date getModifiedDate() {
    return entry.mtime() == null ? null : Date.from(entry.mtime());
  }

  @Override
  public Date getCreateDate() {
    return entry.created() == null ? null : Date.from(entry.created());
  }

  @Override
  public String checkRedirect(Request request) {
    return null;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + path.ns() + ":" + path.path() + " v" + entry.version() + "]";
  }
}
