package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.cairn.webdav.UrlBase;
import io.cairn.webdav.props.OwnCloudProperties;

/**
 * The headers the Nextcloud and ownCloud clients read from the answer to a PUT, MKCOL, MOVE or
 * COPY to learn what they made without asking again: {@code OC-FileId} (the entry's {@code oc:id}),
 * {@code OC-Perm} (its {@code oc:permissions}; without it the ownCloud client asks with a PROPFIND)
 * and, for a file, {@code OC-ETag}. Sent only under a {@link UrlBase} (their URLs), where the one
 * extra entry read is worth it.
 */
final class OcHeaders {
  private OcHeaders() {}

  static void send(Exchange x, FilePath p) {
    if (UrlBase.current() == null) {
      return;
    }
    Entry e = x.site.files().entry(x.caller(), p);
    if (e == null) {
      return;
    }
    if (e.fileId() > 0) {
      x.response.setNonStandardHeader("OC-FileId", OwnCloudProperties.ocId(e));
    }
    x.response.setNonStandardHeader("OC-Perm", OwnCloudProperties.permissions(x.caller(), p, e));
    if (!e.isDirectory()) {
      x.response.setNonStandardHeader("OC-ETag", ContentHash.etag(e.contentHash()));
    }
  }
}
