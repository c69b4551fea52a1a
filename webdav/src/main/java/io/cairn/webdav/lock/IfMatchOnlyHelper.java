package io.cairn.webdav.lock;

import io.milton.http.Request;
import io.milton.http.http11.ETagGenerator;
import io.milton.http.http11.MatchHelper;
import io.milton.resource.Resource;

/**
 * milton's MatchHelper minus its reading of the WebDAV If header. milton CE pulls the last entity
 * tag out of an If header with a regular expression and compares it without its quotes, so a
 * valid {@code (<token> ["etag"])} fails a PUT with 412. The lock filter evaluates the If header
 * in full before any handler runs; here only If-Match is checked, as RFC 9110 §13.1.1 says.
 */
final class IfMatchOnlyHelper extends MatchHelper {
  private final ETagGenerator etags;

  IfMatchOnlyHelper(ETagGenerator etags) {
    super(etags);
    this.etags = etags;
  }

  @Override
  public boolean checkIfMatch(Resource r, Request req) {
    String header = req.getIfMatchHeader();
    if (header == null || header.isBlank()) {
      return true;
    }
    if (r == null) {
      return false;
    }
    String current = etags.generateEtag(r);
    if (current == null || current.isEmpty()) {
      return false;
    }
    for (String part : header.split(",")) {
      // Some clients send back the quotes they were given as &quot;.
      String tag = part.strip().replace("&quot;", "\"");
      if (tag.equals("*") || tag.equals(current)) {
        return true;
      }
    }
    return false;
  }
}
