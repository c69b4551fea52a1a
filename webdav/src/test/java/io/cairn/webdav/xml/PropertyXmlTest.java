package io.cairn.webdav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class PropertyXmlTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void proppatchKeepsDocumentOrderAndNamespacesOfValues() {
    ProppatchRequest r =
        ProppatchRequest.parse(
            utf8(
                "<D:propertyupdate xmlns:D='DAV:' xmlns:Z='urn:z' xmlns:V='urn:v'>"
                    + "<D:remove><D:prop><Z:a/></D:prop></D:remove>"
                    + "<D:set><D:prop><Z:a>x &amp; <V:b k='1' V:q='2'>y</V:b></Z:a><c xmlns=''>t</c></D:prop></D:set>"
                    + "</D:propertyupdate>"));
    List<PropertyChange> c = r.changes();
    assertEquals(3, c.size());
    assertEquals(new PropertyName("urn:z", "a"), c.get(0).name());
    assertNull(c.get(0).value());
    assertEquals(new PropertyName("urn:z", "a"), c.get(1).name());
    assertEquals(new PropertyName("", "c"), c.get(2).name());
    assertEquals("t", c.get(2).value());
    // The value, embedded in an element binding nothing, parses back to the same names.
    Element wrapped =
        SafeXml.parse(utf8("<w>" + c.get(1).value() + "</w>")).getDocumentElement();
    Element b = (Element) wrapped.getElementsByTagNameNS("urn:v", "b").item(0);
    assertEquals("y", b.getTextContent());
    assertEquals("1", b.getAttribute("k"));
    assertEquals("2", b.getAttributeNS("urn:v", "q"));
    assertEquals("x & y", wrapped.getTextContent());
  }

  @Test
  void valuesUndeclareAnInheritedDefaultNamespace() {
    String v =
        ProppatchRequest.parse(
                utf8(
                    "<propertyupdate xmlns='DAV:'><set><prop><foo xmlns='urn:f'><bar xmlns=''/>"
                        + "<baz/></foo></prop></set></propertyupdate>"))
            .changes()
            .get(0)
            .value();
    Element w = SafeXml.parse(utf8("<w>" + v + "</w>")).getDocumentElement();
    assertNull(((Element) w.getElementsByTagName("bar").item(0)).getNamespaceURI());
    assertEquals(1, w.getElementsByTagNameNS("urn:f", "baz").getLength());
    assertEquals(0, w.getElementsByTagNameNS("urn:f", "bar").getLength());
  }

  @Test
  void malformedOrForeignBodiesAre400() {
    for (String body :
        List.of(
            "<D:propertyupdate xmlns:D='DAV:'><D:set>",
            "<propfind xmlns='DAV:'><prop><bar:foo xmlns:bar=''/></prop></propfind>",
            "<x xmlns='DAV:'/>",
            "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><propertyupdate xmlns='DAV:'><set><prop><a>&e;</a></prop></set></propertyupdate>")) {
      DavException e =
          assertThrows(DavException.class, () -> ProppatchRequest.parse(utf8(body)), body);
      assertEquals(400, e.status());
    }
  }

  @Test
  void propfindForms() {
    assertEquals(PropfindRequest.Kind.ALLPROP, PropfindRequest.parse(new byte[0]).kind());
    PropfindRequest prop =
        PropfindRequest.parse(utf8("<propfind xmlns='DAV:'><prop><getetag/><x xmlns='urn:x'/></prop></propfind>"));
    assertEquals(
        List.of(new PropertyName("DAV:", "getetag"), new PropertyName("urn:x", "x")), prop.names());
    assertEquals(
        PropfindRequest.Kind.PROPNAME,
        PropfindRequest.parse(utf8("<propfind xmlns='DAV:'><propname/></propfind>")).kind());
    PropfindRequest all =
        PropfindRequest.parse(
            utf8("<propfind xmlns='DAV:'><allprop/><include><quota-used-bytes/></include></propfind>"));
    assertEquals(List.of(new PropertyName("DAV:", "quota-used-bytes")), all.names());
    assertThrows(DavException.class, () -> PropfindRequest.parse(utf8("<propfind xmlns='DAV:'/>")));
  }
}
