package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.milton.http.Auth;
import io.milton.http.Range;
import io.milton.resource.GetableResource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** A file, as milton sees it. */
public class FileResource extends DavResource implements GetableResource {

  public FileResource(DavSite site, FilePath path, Entry entry) {
    super(site, path, entry);
  }

  @Override
  public void sendContent(OutputStream out, Range range, Map<String, String> params, String contentType)
      throws IOException {
    long size = entry.size();
    long start = 0;
    long end = size;
    if (range != null) {
      start = range.getStart() == null ? Math.max(0, size - range.getFinish()) : range.getStart();
      end = range.getStart() == null || range.getFinish() == null ? size : Math.min(size, range.getFinish() + 1);
    }
    site.files().download(entry, start, Math.max(0, end - start), out);
  }

  @Override
  public Long getMaxAgeSeconds(Auth auth) {
    return null;
  }

  @Override
  public String getContentType(String accepts) {
    return ContentTypes.guess(entry.name());
  }

  @Override
  public Long getContentLength() {
    return entry.size();
  }
}
