package io.cairn.webdav;

import io.cairn.files.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cairn.storage.Entry;
import io.cairn.webdav.xml.SafeXml;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What a user sees of names that differ only in Unicode normalization, or hold control characters:
 * macOS sends NFD, Windows and Linux NFC, and a shared folder must show one file for both.
 */
class UnicodeNamesTest {
  /** "café" as Windows and Linux send it (U+00E9) ... */
  static final String NFC_URL = "caf%C3%A9";
  /** ... and as macOS sends it (e + U+0301). */
  static final String NFD_URL = "cafe%CC%81";
  static final String NFC = "caf\u00e9";

  @TempDir static Path dir;
  static TestDav dav;

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The hrefs of a Depth 1 PROPFIND of {@code folder}, the folder's own first. */
  private static List<String> listing(String folder) {
    HttpResponse<byte[]> r = dav.send("PROPFIND", folder, (byte[]) null, "Depth", "1");
    assertEquals(207, r.statusCode(), TestDav.text(r));
    Document d = SafeXml.parse(r.body());
    NodeList n = d.getElementsByTagNameNS("DAV:", "href");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.getLength(); i++) {
      out.add(n.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void nfdAndNfcPutsWriteOneFileThatBothFormsRead() {
    assertEquals(201, dav.status("MKCOL", "/put"));
    assertEquals(201, dav.put("/put/" + NFD_URL + ".txt", utf8("from a Mac")).statusCode());
    assertEquals(204, dav.put("/put/" + NFC_URL + ".txt", utf8("from Windows")).statusCode());

    assertEquals(List.of("/put/", "/put/" + NFC_URL + ".txt"), listing("/put/"));
    assertEquals("from Windows", TestDav.text(dav.get("/put/" + NFD_URL + ".txt")));
    assertEquals("from Windows", TestDav.text(dav.get("/put/" + NFC_URL + ".txt")));
    assertNotNull(Await.result(dav.journal.entry(TestDav.NS, "/put/" + NFC + ".txt")));
    assertNull(Await.result(dav.journal.entry(TestDav.NS, "/put/cafe\u0301.txt")));
  }

  @Test
  void anNfdFolderNameIsTheNfcFolder() {
    assertEquals(201, dav.status("MKCOL", "/" + NFC_URL));
    assertEquals(405, dav.status("MKCOL", "/" + NFD_URL));
    assertEquals(201, dav.put("/" + NFD_URL + "/inside.txt", utf8("x")).statusCode());
    assertEquals(List.of("/" + NFC_URL + "/", "/" + NFC_URL + "/inside.txt"), listing("/" + NFD_URL + "/"));
  }

  @Test
  void moveWithAnNfdDestinationLandsOnTheNfcName() {
    assertEquals(201, dav.status("MKCOL", "/move"));
    assertEquals(201, dav.put("/move/src.txt", utf8("moved")).statusCode());
    assertEquals(
        201,
        dav.status("MOVE", "/move/src.txt", "Destination", dav.base + "/move/" + NFD_URL + ".txt"));
    assertEquals(List.of("/move/", "/move/" + NFC_URL + ".txt"), listing("/move/"));
    Entry moved = Await.result(dav.journal.entry(TestDav.NS, "/move/" + NFC + ".txt"));
    assertEquals(5, moved.size());
    assertEquals("moved", TestDav.text(dav.get("/move/" + NFC_URL + ".txt")));
  }

  @Test
  void namesWithControlCharactersAre400AndCreateNothing() {
    assertEquals(201, dav.status("MKCOL", "/ctl"));
    assertEquals(201, dav.put("/ctl/ok.txt", utf8("ok")).statusCode());
    long before = dav.lastJid();
    for (String name : List.of("a%01b", "a%7Fb", "a%1Fb", "a%C2%85b", "%0A")) {
      HttpResponse<byte[]> put = dav.put("/ctl/" + name, utf8("x"));
      assertEquals(400, put.statusCode(), name);
      assertEquals("control character in a path segment", TestDav.text(put).strip(), name);
      assertEquals(400, dav.status("MKCOL", "/ctl/" + name), name);
      assertEquals(
          400,
          dav.status("MOVE", "/ctl/ok.txt", "Destination", dav.base + "/ctl/" + name),
          name);
      assertEquals(
          400,
          dav.status("COPY", "/ctl/ok.txt", "Destination", dav.base + "/ctl/" + name),
          name);
    }
    assertEquals(before, dav.lastJid());
    assertEquals(List.of("/ctl/", "/ctl/ok.txt"), listing("/ctl/"));
  }

  @Test
  void aListingLargerThanTheServersWriteBlocksShowsEveryNameWhole() {
    // The multistatus goes out in 64 KiB blocks: 400 names with two- to four-byte characters
    // make about 350 KiB of allprop, so characters fall across block ends.
    assertEquals(201, dav.status("MKCOL", "/many"));
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < 400; i++) {
      String name = String.format("%03d caf\u00e9 \u65e5\u672c \ud83d\ude00 & <x>.txt", i);
      names.add(name);
      String url = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
      assertEquals(201, dav.put("/many/" + url, utf8(name)).statusCode(), name);
    }
    HttpResponse<byte[]> r = dav.send("PROPFIND", "/many/", (byte[]) null, "Depth", "1");
    assertEquals(207, r.statusCode(), TestDav.text(r));
    NodeList shown = SafeXml.parse(r.body()).getElementsByTagNameNS("DAV:", "displayname");
    Set<String> listed = new TreeSet<>();
    for (int i = 1; i < shown.getLength(); i++) { // the folder's own comes first
      listed.add(shown.item(i).getTextContent());
    }
    assertEquals(401, shown.getLength());
    assertEquals(names, listed);
  }
}
