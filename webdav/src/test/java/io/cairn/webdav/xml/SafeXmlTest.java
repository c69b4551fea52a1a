package io.cairn.webdav.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.webdav.DavException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Request bodies parsed by reused parsers: each document as if its parser were new. */
class SafeXmlTest {
  /** Internal entities only: refused because of the DOCTYPE, not because of an external access. */
  private static final String LAUGHS =
      "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
          + "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&b;</D:displayname></D:prop></D:propfind>";
  private static final String MALFORMED = "<D:propfind xmlns:D=\"DAV:\"><D:prop>";
  private static final String PROPFIND =
      "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/></D:prop></D:propfind>";

  @Test
  void aParserUsedBeforeStillRefusesADoctypeAndReadsTheNextBody() {
    for (int i = 0; i < 40; i++) { // more rounds than parsers are kept
      DavException doctype = assertThrows(DavException.class, () -> SafeXml.parse(LAUGHS.getBytes(UTF_8)));
      assertEquals(400, doctype.status());
      DavException malformed = assertThrows(DavException.class, () -> SafeXml.parse(MALFORMED.getBytes(UTF_8)));
      assertEquals(400, malformed.status());
      Document ok = SafeXml.parse(PROPFIND.getBytes(UTF_8));
      assertEquals("DAV:", ok.getDocumentElement().getNamespaceURI());
      assertEquals("propfind", ok.getDocumentElement().getLocalName());
      assertEquals(1, ok.getElementsByTagNameNS("DAV:", "getetag").getLength());
    }
  }

  @Test
  void documentsParsedAtOnceOnManyThreadsStayTheirOwn() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> names = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String name = "p" + i;
        names.add(threads.submit(() -> {
          Document d = SafeXml.parse(("<D:propfind xmlns:D=\"DAV:\"><D:prop><Z:" + name
              + " xmlns:Z=\"urn:z\"/></D:prop></D:propfind>").getBytes(UTF_8));
          return d.getElementsByTagNameNS("urn:z", "*").item(0).getLocalName();
        }));
      }
      for (int i = 0; i < names.size(); i++) {
        assertEquals("p" + i, names.get(i).get());
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
