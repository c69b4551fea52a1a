package io.cairn.webdav.method;

import io.cairn.storage.PropertyName;
import io.cairn.webdav.StatusTable;
import io.cairn.webdav.xml.Xml;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a 207 multistatus body (RFC 4918 §13) as it goes, one {@code response} element at a
 * time. The root binds the prefix {@code D} to DAV: and no default namespace, so an unprefixed
 * property name is in no namespace (never the invalid {@code xmlns:x=""}); other namespaces are
 * declared on the property element that uses them. Property values are written verbatim: they are
 * self-contained XML fragments.
 */
final class Multistatus implements AutoCloseable {
  private final OutputStream out;

  Multistatus(Exchange x) throws IOException {
    x.status(207);
    x.response.setNonStandardHeader("Content-Type", "application/xml; charset=utf-8");
    this.out = x.response.getOutputStream();
    write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">\n");
  }

  /**
   * One resource's propstats: for each status, the properties with their values (null: an empty
   * element, as propname and failed properties are written).
   */
  void response(String href, Map<Integer, List<Map.Entry<PropertyName, String>>> byStatus)
      throws IOException {
    StringBuilder b = new StringBuilder(512);
    b.append("<D:response><D:href>");
    Xml.escape(href, b, false);
    b.append("</D:href>");
    for (Map.Entry<Integer, List<Map.Entry<PropertyName, String>>> group : byStatus.entrySet()) {
      if (group.getValue().isEmpty()) {
        continue;
      }
      b.append("<D:propstat><D:prop>");
      for (Map.Entry<PropertyName, String> p : group.getValue()) {
        property(b, p.getKey(), p.getValue());
      }
      b.append("</D:prop><D:status>HTTP/1.1 ")
          .append(group.getKey())
          .append(' ')
          .append(StatusTable.reason(group.getKey()))
          .append("</D:status></D:propstat>");
    }
    b.append("</D:response>\n");
    write(b.toString());
  }

  /**
   * A response that carries only a status for {@code href}: 404 for a member a sync-collection
   * report removed (RFC 6578 §3.5.2), 507 on the Request-URI of a truncated one (§3.6), which then
   * names {@code precondition} (a DAV: element) in a {@code DAV:error}; null for none.
   */
  void status(String href, int status, String precondition) throws IOException {
    StringBuilder b = new StringBuilder(160);
    b.append("<D:response><D:href>");
    Xml.escape(href, b, false);
    b.append("</D:href><D:status>HTTP/1.1 ").append(status).append(' ').append(StatusTable.reason(status));
    b.append("</D:status>");
    if (precondition != null) {
      b.append("<D:error><D:").append(precondition).append("/></D:error>");
    }
    b.append("</D:response>\n");
    write(b.toString());
  }

  /** The {@code DAV:sync-token} that ends a sync-collection report (RFC 6578 §6.2), after every response. */
  void syncToken(String token) throws IOException {
    StringBuilder b = new StringBuilder(token.length() + 32);
    b.append("<D:sync-token>");
    Xml.escape(token, b, false);
    write(b.append("</D:sync-token>\n").toString());
  }

  static void property(StringBuilder b, PropertyName name, String value) {
    // Appended piece by piece: allprop writes about ten of these per child of a PROPFIND, and
    // building each tag as a String first cost two more copies of it.
    String prefix;
    if (name.namespace().equals("DAV:")) {
      prefix = "D:";
    } else if (name.namespace().isEmpty()) {
      prefix = "";
    } else {
      prefix = "P:";
    }
    b.append('<').append(prefix).append(name.localName());
    if (prefix.equals("P:")) {
      b.append(" xmlns:P=\"").append(Xml.attr(name.namespace())).append('"');
    }
    if (value == null || value.isEmpty()) {
      b.append("/>");
    } else {
      b.append('>').append(value).append("</").append(prefix).append(name.localName()).append('>');
    }
  }

  @Override
  public void close() throws IOException {
    write("</D:multistatus>\n");
    out.flush();
  }

  /** Encodes at once: an OutputStreamWriter's encoder cost more than building the text. */
  private void write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }
}
