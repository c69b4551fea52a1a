package io.cairn.webdav.xml;

import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Serializes the content of a DOM element (a dead property's value) as a self-contained XML
 * fragment: every element and attribute carries the namespace it had in the request, with the
 * declarations it needs written on it, including those the request made on ancestors outside the
 * value. Written back inside any element that binds no default namespace, the fragment parses to
 * the same names. Declarations the request made inside the value are kept as written.
 */
public final class XmlFragment {
  private XmlFragment() {}

  /** The content of {@code element} (its child nodes), as XML text. */
  public static String contentOf(Element element) {
    StringBuilder out = new StringBuilder();
    Map<String, String> scope = new HashMap<>();
    scope.put("", "");
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      write(n, scope, out);
    }
    return out.toString();
  }

  private static void write(Node node, Map<String, String> inherited, StringBuilder out) {
    switch (node.getNodeType()) {
      case Node.TEXT_NODE -> Xml.escape(node.getNodeValue(), out, false);
      case Node.CDATA_SECTION_NODE -> Xml.escape(node.getNodeValue(), out, false);
      case Node.ELEMENT_NODE -> writeElement((Element) node, inherited, out);
      default -> {
        // Comments and processing instructions are not part of a property's value.
      }
    }
  }

  private static void writeElement(Element e, Map<String, String> inherited, StringBuilder out) {
    Map<String, String> scope = new HashMap<>(inherited);
    StringBuilder decls = new StringBuilder();
    NamedNodeMap attrs = e.getAttributes();
    // Declarations written in the request on this element, as they were.
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        String prefix = a.getPrefix() == null ? "" : a.getLocalName();
        declare(scope, decls, prefix, a.getValue());
      }
    }
    String uri = nz(e.getNamespaceURI());
    String prefix = nz(e.getPrefix());
    if (uri.isEmpty()) {
      prefix = "";
      if (!scope.get("").isEmpty()) {
        declare(scope, decls, "", "");
      }
    } else if (!uri.equals(scope.get(prefix))) {
      declare(scope, decls, prefix, uri);
    }
    String name = prefix.isEmpty() ? e.getLocalName() : prefix + ":" + e.getLocalName();
    StringBuilder attributes = new StringBuilder();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String aUri = nz(a.getNamespaceURI());
      if (aUri.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI)) {
        continue;
      }
      String aName;
      if (aUri.isEmpty()) {
        aName = a.getLocalName() != null ? a.getLocalName() : a.getName();
      } else if (aUri.equals(XMLConstants.XML_NS_URI)) {
        aName = "xml:" + a.getLocalName();
      } else {
        String aPrefix = nz(a.getPrefix());
        if (aPrefix.isEmpty() || !aUri.equals(scope.get(aPrefix))) {
          aPrefix = aPrefix.isEmpty() || scope.containsKey(aPrefix) ? free(scope) : aPrefix;
          declare(scope, decls, aPrefix, aUri);
        }
        aName = aPrefix + ":" + a.getLocalName();
      }
      attributes.append(' ').append(aName).append("=\"");
      Xml.escape(a.getValue(), attributes, true);
      attributes.append('"');
    }
    out.append('<').append(name).append(decls).append(attributes);
    if (e.getFirstChild() == null) {
      out.append("/>");
      return;
    }
    out.append('>');
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      write(n, scope, out);
    }
    out.append("</").append(name).append('>');
  }

  private static void declare(Map<String, String> scope, StringBuilder decls, String prefix, String uri) {
    if (prefix.equals("xml") || prefix.equals("xmlns")) {
      return;
    }
    if (uri.equals(scope.get(prefix))) {
      return;
    }
    scope.put(prefix, uri);
    decls.append(" xmlns").append(prefix.isEmpty() ? "" : ":" + prefix).append("=\"");
    Xml.escape(uri, decls, true);
    decls.append('"');
  }

  private static String free(Map<String, String> scope) {
    int i = 0;
    while (scope.containsKey("ns" + i)) {
      i++;
    }
    return "ns" + i;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
