package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A sync-collection client for tests, as RFC 6578 §3 describes one: sends the REPORT and reads
 * the multistatus into what changed (href → status: 200 for a member with properties, 404 for a
 * removed one, 507 for the Request-URI of a truncated report) and the new token.
 */
final class SyncReplies {
  /** One answer: member statuses in document order, the new token, the properties' text per href. */
  record Reply(Map<String, Integer> members, String token, Map<String, String> etags) {
    boolean truncated() {
      return members.containsValue(507);
    }
  }

  private SyncReplies() {}

  static String body(String token, String level, int limit) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        + "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>" + (token == null ? "" : token) + "</D:sync-token>"
        + "<D:sync-level>" + level + "</D:sync-level>"
        + (limit > 0 ? "<D:limit><D:nresults>" + limit + "</D:nresults></D:limit>" : "")
        + "<D:prop><D:getetag/><D:resourcetype/></D:prop></D:sync-collection>";
  }

  static HttpResponse<byte[]> send(TestDav dav, String path, String token, String level, int limit) {
    return dav.send("REPORT", path, body(token, level, limit), "Content-Type", "application/xml", "Depth", "0");
  }

  /** Runs one report and reads its 207. */
  static Reply sync(TestDav dav, String path, String token, String level, int limit) {
    HttpResponse<byte[]> r = send(dav, path, token, level, limit);
    assertEquals(207, r.statusCode(), () -> TestDav.text(r));
    return read(r.body());
  }

  static Reply read(byte[] xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
      Map<String, Integer> members = new LinkedHashMap<>();
      Map<String, String> etags = new LinkedHashMap<>();
      NodeList responses = doc.getElementsByTagNameNS("DAV:", "response");
      for (int i = 0; i < responses.getLength(); i++) {
        Element response = (Element) responses.item(i);
        String href = text(response, "href");
        NodeList propstats = response.getElementsByTagNameNS("DAV:", "propstat");
        if (propstats.getLength() > 0) {
          members.put(href, 200);
          etags.put(href, text(response, "getetag"));
        } else {
          String status = text(response, "status");
          members.put(href, Integer.parseInt(status.split(" ")[1]));
        }
      }
      NodeList tokens = doc.getElementsByTagNameNS("DAV:", "sync-token");
      String token = tokens.item(tokens.getLength() - 1).getTextContent();
      return new Reply(members, token, etags);
    } catch (Exception e) {
      throw new IllegalStateException(new String(xml, java.nio.charset.StandardCharsets.UTF_8), e);
    }
  }

  private static String text(Element e, String local) {
    NodeList l = e.getElementsByTagNameNS("DAV:", local);
    return l.getLength() == 0 ? null : l.item(0).getTextContent();
  }
}
