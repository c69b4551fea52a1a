package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.core.CairnException;
import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.webdav.lock.LockTarget;
import io.cairn.webdav.lock.LockTargets;
import io.milton.http.Request;

/**
 * Class 2's view of the resource layer: URLs map exactly as requests do ({@link LocalUrls}, {@link
 * DavMount}, {@link PathCodec}); what lives at a place and its ETag come from the journal; the empty file of a LOCK
 * on an unmapped URL is a zero-byte PUT that expects the path to be absent.
 */
public final class DavLockTargets implements LockTargets {
  private final DavSite site;

  public DavLockTargets(DavSite site) {
    this.site = site;
  }

  @Override
  public LockTarget locate(Request request, String url) {
    if (url == null) {
      return null;
    }
    try {
      String rawPath = LocalUrls.rawPath(url, request == null ? null : request.getHostHeader());
      if (rawPath == null) {
        return null;
      }
      FilePath p = site.mount().resolve(rawPath);
      return new LockTarget(p.ns(), p.path());
    } catch (DavException e) {
      return null;
    }
  }

  @Override
  public TargetState state(LockTarget target) {
    Entry e = site.files().entry(site.mount().caller(), path(target));
    return e == null ? null : new TargetState(e.isDirectory(), ContentHash.etag(e.contentHash()));
  }

  @Override
  public void createEmptyFile(Request request, LockTarget target) {
    try {
      site.files().createEmptyFile(site.mount().caller(), path(target), Expect.ABSENT);
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.PRECONDITION_FAILED) {
        throw CairnException.alreadyExists(target.path() + " appeared meanwhile");
      }
      throw e;
    }
  }

  @Override
  public String href(Request request, LockTarget target) {
    FilePath p = path(target);
    Entry e = site.files().entry(site.mount().caller(), p);
    return site.mount().href(p, e != null && e.isDirectory());
  }

  private static FilePath path(LockTarget target) {
    return new FilePath(target.ns(), target.path());
  }

}
