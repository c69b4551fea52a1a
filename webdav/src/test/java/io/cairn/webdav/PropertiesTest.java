package io.cairn.webdav;

import io.cairn.files.QuotaPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.webdav.xml.SafeXml;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** PROPFIND depth rules and forms, PROPPATCH order, values and protection. */
class PropertiesTest {
  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir, b -> b.quota(new io.cairn.files.QuotaPolicy(1 << 30, () -> -1)));
    dav.status("MKCOL", "/p");
    dav.put("/p/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
    dav.put("/p/b.pdf", new byte[10]);
    dav.status("MKCOL", "/p/sub");
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  private static Document propfind(String path, String depth, String body) {
    HttpResponse<byte[]> r = dav.send("PROPFIND", path, body, "Depth", depth, "Content-Type", "application/xml");
    assertEquals(207, r.statusCode(), TestDav.text(r));
    return SafeXml.parse(r.body());
  }

  private static List<String> hrefs(Document d) {
    List<String> out = new ArrayList<>();
    NodeList n = d.getElementsByTagNameNS("DAV:", "href");
    for (int i = 0; i < n.getLength(); i++) {
      out.add(n.item(i).getTextContent());
    }
    return out;
  }

  /** The property element {@code ns:local} of the response for {@code href}, with its propstat status. */
  private static Element prop(Document d, String href, String ns, String local, StringBuilder status) {
    NodeList responses = d.getElementsByTagNameNS("DAV:", "response");
    for (int i = 0; i < responses.getLength(); i++) {
      Element r = (Element) responses.item(i);
      if (!r.getElementsByTagNameNS("DAV:", "href").item(0).getTextContent().equals(href)) {
        continue;
      }
      NodeList propstats = r.getElementsByTagNameNS("DAV:", "propstat");
      for (int j = 0; j < propstats.getLength(); j++) {
        Element ps = (Element) propstats.item(j);
        NodeList found = ps.getElementsByTagNameNS(ns, local);
        if (found.getLength() > 0) {
          if (status != null) {
            status.append(ps.getElementsByTagNameNS("DAV:", "status").item(0).getTextContent());
          }
          return (Element) found.item(0);
        }
      }
    }
    return null;
  }

  /** Children come from the journal in pages (of 500): every one is listed once, in order. */
  @Test
  void depthOneListsEveryChildOfALargeFolder() throws Exception {
    dav.status("MKCOL", "/big");
    int n = 1203;
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int first = t;
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = first; i < n; i += 4) {
                      dav.put(String.format("/big/f%05d", i), new byte[] {(byte) i});
                    }
                  }));
    }
    for (Thread w : writers) {
      w.join(120_000);
    }
    List<String> listed =
        hrefs(propfind("/big/", "1", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/></D:prop></D:propfind>"));
    List<String> expected = new ArrayList<>();
    expected.add("/big/");
    for (int i = 0; i < n; i++) {
      expected.add(String.format("/big/f%05d", i));
    }
    assertEquals(expected, listed);
  }

  @Test
  void depthRules() {
    assertEquals(List.of("/p/"), hrefs(propfind("/p", "0", "")));
    assertEquals(List.of("/p/", "/p/a.txt", "/p/b.pdf", "/p/sub/"), hrefs(propfind("/p/", "1", "")));
    assertEquals(List.of("/p/a.txt"), hrefs(propfind("/p/a.txt", "1", "")));
    HttpResponse<byte[]> inf = dav.send("PROPFIND", "/p", (byte[]) null, "Depth", "infinity");
    assertEquals(403, inf.statusCode());
    assertTrue(TestDav.text(inf).contains("propfind-finite-depth"));
    assertEquals(403, dav.send("PROPFIND", "/p", (byte[]) null).statusCode());
    assertEquals(400, dav.send("PROPFIND", "/p", (byte[]) null, "Depth", "2").statusCode());
    assertEquals(404, dav.send("PROPFIND", "/nope", (byte[]) null, "Depth", "0").statusCode());
  }

  @Test
  void allpropReportsTheLiveProperties() {
    Document d = propfind("/p/", "1", "<propfind xmlns='DAV:'><allprop/></propfind>");
    assertEquals("5", prop(d, "/p/a.txt", "DAV:", "getcontentlength", null).getTextContent());
    assertEquals("text/plain; charset=utf-8", prop(d, "/p/a.txt", "DAV:", "getcontenttype", null).getTextContent());
    assertEquals("application/pdf", prop(d, "/p/b.pdf", "DAV:", "getcontenttype", null).getTextContent());
    String etag = prop(d, "/p/a.txt", "DAV:", "getetag", null).getTextContent();
    assertEquals(dav.get("/p/a.txt").headers().firstValue("ETag").orElseThrow(), etag);
    assertNotNull(prop(d, "/p/sub/", "DAV:", "resourcetype", null).getElementsByTagNameNS("DAV:", "collection").item(0));
    assertEquals(0, prop(d, "/p/a.txt", "DAV:", "resourcetype", null).getChildNodes().getLength());
    assertEquals("a.txt", prop(d, "/p/a.txt", "DAV:", "displayname", null).getTextContent());
    assertTrue(prop(d, "/p/a.txt", "DAV:", "creationdate", null).getTextContent().endsWith("Z"));
    assertNotNull(prop(d, "/p/a.txt", "DAV:", "getlastmodified", null));
    assertNull(prop(d, "/p/", "DAV:", "quota-used-bytes", null), "quotas are not in allprop");
  }

  @Test
  void quotaPropertiesWhenAskedFor() {
    Document d =
        propfind(
            "/p",
            "0",
            "<propfind xmlns='DAV:'><prop><quota-used-bytes/><quota-available-bytes/><x:nope xmlns:x='urn:x'/></prop></propfind>");
    long used = Long.parseLong(prop(d, "/p/", "DAV:", "quota-used-bytes", null).getTextContent());
    long available = Long.parseLong(prop(d, "/p/", "DAV:", "quota-available-bytes", null).getTextContent());
    assertTrue(used >= 15, "at least the two files");
    assertEquals((1L << 30) - used, available);
    StringBuilder status = new StringBuilder();
    assertNotNull(prop(d, "/p/", "urn:x", "nope", status));
    assertTrue(status.toString().contains("404"));
  }

  @Test
  void propnameListsNamesOnly() {
    dav.send(
        "PROPPATCH",
        "/p/b.pdf",
        "<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop><z:k xmlns:z='urn:z'>v</z:k></D:prop></D:set></D:propertyupdate>");
    Document d = propfind("/p/b.pdf", "0", "<propfind xmlns='DAV:'><propname/></propfind>");
    assertEquals("", prop(d, "/p/b.pdf", "urn:z", "k", null).getTextContent());
    assertEquals("", prop(d, "/p/b.pdf", "DAV:", "getcontentlength", null).getTextContent());
  }

  @Test
  void proppatchAppliesInDocumentOrderAndKeepsXmlValues() {
    String body =
        "<D:propertyupdate xmlns:D='DAV:' xmlns:Z='urn:z' xmlns:Y='urn:y'>"
            + "<D:set><D:prop><Z:first>1</Z:first><Z:second>2</Z:second></D:prop></D:set>"
            + "<D:remove><D:prop><Z:first/></D:prop></D:remove>"
            + "<D:set><D:prop><Z:second><Y:deep a='b'>text<Y:leaf/></Y:deep></Z:second><plain>p</plain></D:prop></D:set>"
            + "</D:propertyupdate>";
    HttpResponse<byte[]> r = dav.send("PROPPATCH", "/p/a.txt", body, "Content-Type", "application/xml");
    assertEquals(207, r.statusCode());
    Document d =
        propfind(
            "/p/a.txt",
            "0",
            "<propfind xmlns='DAV:'><prop><z:first xmlns:z='urn:z'/><z:second xmlns:z='urn:z'/><plain xmlns=''/></prop></propfind>");
    StringBuilder status = new StringBuilder();
    prop(d, "/p/a.txt", "urn:z", "first", status);
    assertTrue(status.toString().contains("404"), "removed after being set");
    Element second = prop(d, "/p/a.txt", "urn:z", "second", null);
    Element deep = (Element) second.getElementsByTagNameNS("urn:y", "deep").item(0);
    assertEquals("b", deep.getAttribute("a"));
    assertEquals(1, deep.getElementsByTagNameNS("urn:y", "leaf").getLength());
    Element plain = prop(d, "/p/a.txt", "", "plain", null);
    assertEquals("p", plain.getTextContent());
    assertNull(plain.getNamespaceURI());
  }

  @Test
  void protectedPropertiesFailTheWholePatch() {
    String body =
        "<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop><D:getetag>x</D:getetag>"
            + "<o:other xmlns:o='urn:o'>y</o:other></D:prop></D:set></D:propertyupdate>";
    HttpResponse<byte[]> r = dav.send("PROPPATCH", "/p/a.txt", body);
    assertEquals(207, r.statusCode());
    Document d = SafeXml.parse(r.body());
    StringBuilder s1 = new StringBuilder();
    StringBuilder s2 = new StringBuilder();
    prop(d, "/p/a.txt", "DAV:", "getetag", s1);
    prop(d, "/p/a.txt", "urn:o", "other", s2);
    assertTrue(s1.toString().contains("403"));
    assertTrue(s2.toString().contains("424"));
    Document after = propfind("/p/a.txt", "0", "<propfind xmlns='DAV:'><prop><o:other xmlns:o='urn:o'/></prop></propfind>");
    StringBuilder s3 = new StringBuilder();
    prop(after, "/p/a.txt", "urn:o", "other", s3);
    assertTrue(s3.toString().contains("404"), "nothing applied");
  }

  @Test
  void windowsPropertiesSucceed() {
    String body =
        "<D:propertyupdate xmlns:D='DAV:' xmlns:Z='urn:schemas-microsoft-com:'><D:set><D:prop>"
            + "<Z:Win32CreationTime>Mon, 01 Jan 2024 00:00:00 GMT</Z:Win32CreationTime>"
            + "<Z:Win32LastAccessTime>Mon, 01 Jan 2024 00:00:00 GMT</Z:Win32LastAccessTime>"
            + "<Z:Win32LastModifiedTime>Mon, 01 Jan 2024 00:00:00 GMT</Z:Win32LastModifiedTime>"
            + "<Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>"
            + "</D:prop></D:set></D:propertyupdate>";
    HttpResponse<byte[]> r = dav.send("PROPPATCH", "/p/b.pdf", body);
    assertEquals(207, r.statusCode());
    assertTrue(!TestDav.text(r).contains("403") && TestDav.text(r).contains("200 OK"));
  }

  @Test
  void malformedBodiesAre400AndChangeNothing() {
    long before = dav.lastJid();
    assertEquals(400, dav.send("PROPPATCH", "/p/a.txt", "<D:propertyupdate xmlns:D='DAV:'>").statusCode());
    assertEquals(400, dav.send("PROPFIND", "/p/a.txt", "<<<", "Depth", "0").statusCode());
    assertEquals(400, dav.send("PROPFIND", "/p/a.txt", "<propfind xmlns='DAV:'><prop><b:x xmlns:b=''/></prop></propfind>", "Depth", "0").statusCode());
    assertEquals(before, dav.lastJid());
  }
}
