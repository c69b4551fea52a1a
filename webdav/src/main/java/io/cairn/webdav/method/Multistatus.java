package io.cairn.webdav.method;

import io.cairn.files.BufferSink;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.StatusTable;
import io.cairn.webdav.xml.Xml;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
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
  /**
   * The text gathered before it goes to the response as one block: past the response body's
   * gathering size, so that a block goes to the connection as it is, without being gathered again.
   */
  private static final int BLOCK = 64 << 10;

  private final OutputStream out;
  private final StringBuilder text = new StringBuilder(BLOCK + 4096);

  Multistatus(Exchange x) throws IOException {
    x.status(207);
    x.response.setNonStandardHeader("Content-Type", "application/xml; charset=utf-8");
    this.out = x.response.getOutputStream();
    text.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">\n");
  }

  /**
   * One resource's propstats: for each status, the properties with their values (null: an empty
   * element, as propname and failed properties are written).
   */
  void response(String href, Map<Integer, List<Map.Entry<PropertyName, String>>> byStatus)
      throws IOException {
    StringBuilder b = start(href);
    for (Map.Entry<Integer, List<Map.Entry<PropertyName, String>>> group : byStatus.entrySet()) {
      propstat(b, group.getKey(), group.getValue());
    }
    end(b);
  }

  /** As {@link #response(String, Map)} with a 200 and a 404 propstat, the two PROPFIND writes. */
  void response(String href, List<Map.Entry<PropertyName, String>> found, List<Map.Entry<PropertyName, String>> missing)
      throws IOException {
    StringBuilder b = start(href);
    propstat(b, 200, found);
    propstat(b, 404, missing);
    end(b);
  }

  private StringBuilder start(String href) {
    StringBuilder b = text;
    b.append("<D:response><D:href>");
    Xml.escape(href, b, false);
    return b.append("</D:href>");
  }

  private static void propstat(StringBuilder b, int status, List<Map.Entry<PropertyName, String>> properties) {
    if (properties.isEmpty()) {
      return;
    }
    b.append("<D:propstat><D:prop>");
    for (Map.Entry<PropertyName, String> p : properties) {
      property(b, p.getKey(), p.getValue());
    }
    b.append("</D:prop><D:status>HTTP/1.1 ")
        .append(status)
        .append(' ')
        .append(StatusTable.reason(status))
        .append("</D:status></D:propstat>");
  }

  private void end(StringBuilder b) throws IOException {
    b.append("</D:response>\n");
    sendIfFull();
  }

  /**
   * A response that carries only a status for {@code href}: 404 for a member a sync-collection
   * report removed (RFC 6578 §3.5.2), 507 on the Request-URI of a truncated one (§3.6), which then
   * names {@code precondition} (a DAV: element) in a {@code DAV:error}; null for none.
   */
  void status(String href, int status, String precondition) throws IOException {
    StringBuilder b = start(href);
    b.append("<D:status>HTTP/1.1 ").append(status).append(' ').append(StatusTable.reason(status));
    b.append("</D:status>");
    if (precondition != null) {
      b.append("<D:error><D:").append(precondition).append("/></D:error>");
    }
    end(b);
  }

  /** The {@code DAV:sync-token} that ends a sync-collection report (RFC 6578 §6.2), after every response. */
  void syncToken(String token) throws IOException {
    text.append("<D:sync-token>");
    Xml.escape(token, text, false);
    text.append("</D:sync-token>\n");
    sendIfFull();
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
      b.append(" xmlns:P=\"");
      Xml.escape(name.namespace(), b, true);
      b.append('"');
    }
    if (value == null || value.isEmpty()) {
      b.append("/>");
    } else {
      b.append('>').append(value).append("</").append(prefix).append(name.localName()).append('>');
    }
  }

  @Override
  public void close() throws IOException {
    text.append("</D:multistatus>\n");
    send();
    out.flush();
  }

  private void sendIfFull() throws IOException {
    if (text.length() > BLOCK) {
      send();
    }
  }

  /**
   * Hands the gathered text to the response as UTF-8, given up as it is to a response body that
   * takes buffers: two copies of the text (String, then its bytes), where gathering responses into
   * a block of bytes that the response body copied again took four (about 1.3 ms of CPU per
   * PROPFIND allprop of 5,000 files). String.getBytes is kept: its vectorized copy of an ASCII text
   * cost less than a loop writing one byte per character (tried: 2-5 ms more per PROPFIND).
   */
  private void send() throws IOException {
    if (text.isEmpty()) {
      return;
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    text.setLength(0);
    if (out instanceof BufferSink sink) {
      sink.write(BufferInternal.buffer(Unpooled.wrappedBuffer(bytes)));
    } else {
      out.write(bytes);
    }
  }
}
