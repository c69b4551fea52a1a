package io.cairn.webdav.xml;

import io.cairn.storage.PropertyChange;
import io.cairn.webdav.DavException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A PROPPATCH request body (RFC 4918 §9.2, §14.19): the set and remove instructions in document
 * order, each property's value kept as a self-contained XML fragment ({@link XmlFragment}).
 *
 * @param changes in document order; a remove has a null value
 */
public record ProppatchRequest(List<PropertyChange> changes) {
  public ProppatchRequest {
    changes = List.copyOf(changes);
  }

  /**
   * Parses a body.
   *
   * @throws DavException 400 for malformed XML, a body that is not a DAV:propertyupdate, or one
   *     without instructions
   */
  public static ProppatchRequest parse(byte[] body) {
    if (body.length == 0) {
      throw DavException.badRequest("a PROPPATCH needs a DAV:propertyupdate body");
    }
    Document doc = SafeXml.parse(body);
    Element root = doc.getDocumentElement();
    if (!PropfindRequest.isDav(root, "propertyupdate")) {
      throw DavException.badRequest("the body of a PROPPATCH must be a DAV:propertyupdate");
    }
    List<PropertyChange> changes = new ArrayList<>();
    boolean any = false;
    for (Element instruction : PropfindRequest.elements(root)) {
      boolean set = PropfindRequest.isDav(instruction, "set");
      if (!set && !PropfindRequest.isDav(instruction, "remove")) {
        continue;
      }
      any = true;
      for (Element prop : PropfindRequest.elements(instruction)) {
        if (!PropfindRequest.isDav(prop, "prop")) {
          continue;
        }
        for (Element p : PropfindRequest.elements(prop)) {
          changes.add(
              new PropertyChange(PropfindRequest.name(p), set ? XmlFragment.contentOf(p) : null));
        }
      }
    }
    if (!any) {
      throw DavException.badRequest("a propertyupdate must hold set or remove");
    }
    return new ProppatchRequest(changes);
  }
}
