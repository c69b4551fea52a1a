package io.cairn.webdav.xml;

import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * A {@code DAV:sync-collection} REPORT body (RFC 6578 §6.1): the token the client holds (empty for
 * an initial sync), the sync level, an optional limit on the number of results (§6.5, RFC 5323
 * {@code nresults}), and the properties to report for each changed member, as a PROPFIND would ask
 * for them ({@code DAV:prop}; {@code DAV:allprop} and no property element are read as allprop).
 *
 * @param token the {@code DAV:sync-token} text, empty for an initial sync
 * @param infinite whether {@code DAV:sync-level} is {@code infinite} rather than {@code 1}
 * @param limit the most results the client wants, or -1 for no limit
 * @param properties what to report for each member
 */
public record SyncCollectionRequest(String token, boolean infinite, int limit, PropfindRequest properties) {
  /** Whether a parsed REPORT body is a {@code DAV:sync-collection}. */
  public static boolean isSyncCollection(org.w3c.dom.Document doc) {
    return PropfindRequest.isDav(doc.getDocumentElement(), "sync-collection");
  }

  /**
   * Reads a {@code DAV:sync-collection} body.
   *
   * @throws DavException 400 when the token or sync level is missing or malformed, or the limit is
   *     not a positive number
   */
  public static SyncCollectionRequest parse(org.w3c.dom.Document doc) {
    String token = null;
    String level = null;
    int limit = -1;
    PropfindRequest properties = null;
    for (Element child : PropfindRequest.elements(doc.getDocumentElement())) {
      if (PropfindRequest.isDav(child, "sync-token")) {
        token = child.getTextContent().strip();
      } else if (PropfindRequest.isDav(child, "sync-level")) {
        level = child.getTextContent().strip();
      } else if (PropfindRequest.isDav(child, "limit")) {
        limit = nresults(child);
      } else if (PropfindRequest.isDav(child, "prop")) {
        List<PropertyName> names = new ArrayList<>();
        for (Element p : PropfindRequest.elements(child)) {
          names.add(PropfindRequest.name(p));
        }
        properties = new PropfindRequest(PropfindRequest.Kind.PROP, names);
      } else if (PropfindRequest.isDav(child, "allprop")) {
        properties = new PropfindRequest(PropfindRequest.Kind.ALLPROP, List.of());
      }
    }
    if (token == null) {
      throw DavException.badRequest("a sync-collection report needs a DAV:sync-token (empty for an initial sync)");
    }
    if (level == null || !(level.equals("1") || level.equals("infinite"))) {
      throw DavException.badRequest("DAV:sync-level must be 1 or infinite");
    }
    if (properties == null) {
      properties = new PropfindRequest(PropfindRequest.Kind.ALLPROP, List.of());
    }
    return new SyncCollectionRequest(token, level.equals("infinite"), limit, properties);
  }

  private static int nresults(Element limit) {
    for (Element e : PropfindRequest.elements(limit)) {
      if (PropfindRequest.isDav(e, "nresults")) {
        try {
          int n = Integer.parseInt(e.getTextContent().strip());
          if (n > 0) {
            return n;
          }
        } catch (NumberFormatException ignored) {
          // answered below
        }
        throw DavException.badRequest("DAV:nresults must be a positive number");
      }
    }
    throw DavException.badRequest("DAV:limit must hold DAV:nresults");
  }
}
