package io.cairn.webdav.xml;

import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A PROPFIND request body (RFC 4918 §9.1, §14.20): all properties (with extra {@code include}d
 * names), only the names, or the listed properties. An empty body asks for all properties.
 *
 * @param kind what is asked
 * @param names for PROP the properties asked for, in request order; for ALLPROP the included ones
 */
public record PropfindRequest(Kind kind, List<PropertyName> names) {
  public static final String DAV = "DAV:";

  /** The three forms of PROPFIND. */
  public enum Kind {
    ALLPROP,
    PROPNAME,
    PROP
  }

  public PropfindRequest {
    names = List.copyOf(names);
  }

  /**
   * Parses a body; empty means allprop.
   *
   * @throws DavException 400 for malformed XML or a body that is not a DAV:propfind
   */
  public static PropfindRequest parse(byte[] body) {
    if (body.length == 0 || isBlank(body)) {
      return new PropfindRequest(Kind.ALLPROP, List.of());
    }
    Document doc = SafeXml.parse(body);
    Element root = doc.getDocumentElement();
    if (!isDav(root, "propfind")) {
      throw DavException.badRequest("the body of a PROPFIND must be a DAV:propfind");
    }
    Kind kind = null;
    List<PropertyName> names = new ArrayList<>();
    for (Element child : elements(root)) {
      if (isDav(child, "allprop") && kind == null) {
        kind = Kind.ALLPROP;
      } else if (isDav(child, "propname") && kind == null) {
        kind = Kind.PROPNAME;
      } else if (isDav(child, "prop") && kind == null) {
        kind = Kind.PROP;
        for (Element p : elements(child)) {
          names.add(name(p));
        }
      } else if (isDav(child, "include")) {
        for (Element p : elements(child)) {
          names.add(name(p));
        }
      } else if (isDav(child, "allprop") || isDav(child, "propname") || isDav(child, "prop")) {
        throw DavException.badRequest("a propfind asks for one of allprop, propname or prop");
      }
    }
    if (kind == null) {
      throw DavException.badRequest("a propfind must hold allprop, propname or prop");
    }
    if (kind == Kind.PROPNAME) {
      names.clear();
    }
    return new PropfindRequest(kind, names);
  }

  /**
   * The property name of an element.
   *
   * @throws DavException 400 for an element without a local name, such as {@code <:/>}, which the
   *     parser lets through
   */
  static PropertyName name(Element e) {
    String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
    String local = e.getLocalName();
    if (local == null || local.isEmpty()) {
      throw DavException.badRequest("a property element needs a name (<" + e.getTagName() + ">)");
    }
    return new PropertyName(ns, local);
  }

  static boolean isDav(Element e, String local) {
    return DAV.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
  }

  static List<Element> elements(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
