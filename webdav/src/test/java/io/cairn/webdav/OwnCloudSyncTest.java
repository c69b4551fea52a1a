package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rclone's {@code owncloud} and {@code nextcloud} vendors need to keep mtimes and compare
 * hashes: X-OC-Mtime on PUT, OC-Checksum verified, oc:checksums in PROPFIND, lastmodified by
 * PROPPATCH, and a PUT of the current content making no new version.
 */
class OwnCloudSyncTest {
  @TempDir static Path dir;
  static TestDav dav;

  /** rclone's PROPFIND body for these vendors (backend/webdav/webdav.go, owncloudProps). */
  static final String RCLONE_PROPFIND = """
      <?xml version="1.0"?>
      <d:propfind  xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
       <d:prop><d:displayname /><d:getlastmodified /><d:getcontentlength /><d:resourcetype />
        <oc:checksums /><oc:permissions /></d:prop>
      </d:propfind>""";

  @BeforeAll
  static void start() {
    dav = TestDav.start(dir);
  }

  @AfterAll
  static void stop() {
    dav.close();
  }

  private static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  private static String propfind(String path) {
    HttpResponse<byte[]> r = dav.send("PROPFIND", path, RCLONE_PROPFIND, "Depth", "0");
    assertEquals(207, r.statusCode(), TestDav.text(r));
    return TestDav.text(r);
  }

  @Test
  void anOcMtimeSetsTheMtimeAndIsAccepted() {
    HttpResponse<byte[]> r = dav.put("/dated.txt", "x".getBytes(StandardCharsets.UTF_8), "X-OC-Mtime", "1500000000.75");
    assertEquals(201, r.statusCode());
    assertEquals("accepted", r.headers().firstValue("X-OC-Mtime").orElse(null));
    assertTrue(propfind("/dated.txt").contains("Fri, 14 Jul 2017 02:40:00 GMT"), propfind("/dated.txt"));

    long before = dav.lastJid();
    for (String bad : new String[] {"soon", "1e9", "NaN", "", "99999999999999"}) {
      HttpResponse<byte[]> refused = dav.put("/bad.txt", new byte[] {1}, "X-OC-Mtime", bad);
      assertEquals(400, refused.statusCode(), bad);
      assertTrue(TestDav.text(refused).contains("modification time"), TestDav.text(refused));
    }
    assertEquals(before, dav.lastJid(), "nothing written");
  }

  @Test
  void checksumsAreServedAndAnOcChecksumIsVerified() throws Exception {
    byte[] body = new byte[3_000_000];
    new Random(3).nextBytes(body);
    String sha1 = hex("SHA-1", body);
    String md5 = hex("MD5", body);
    assertEquals(201, dav.put("/sum.bin", body, "OC-Checksum", "SHA1:" + sha1.toUpperCase()).statusCode());
    String listing = propfind("/sum.bin");
    assertTrue(listing.contains(">SHA1:" + sha1 + "<"), "SHA-1 only, as Nextcloud, by default: " + listing);
    assertTrue(listing.contains("http://owncloud.org/ns"), listing);
    assertTrue(listing.matches("(?s).*permissions[^>]*>DNVW<.*"), listing);
    assertFalse(listing.contains("404"), "rclone's listing finds every property it asks for: " + listing);

    long before = dav.lastJid();
    HttpResponse<byte[]> wrong = dav.put("/sum.bin", "other".getBytes(StandardCharsets.UTF_8), "OC-Checksum", "MD5:" + md5);
    assertEquals(400, wrong.statusCode());
    assertTrue(TestDav.text(wrong).contains("OC-Checksum"), TestDav.text(wrong));
    assertEquals(400, dav.put("/sum.bin", body, "OC-Checksum", "SHA1").statusCode(), "malformed");
    assertEquals(before, dav.lastJid(), "nothing committed");
    assertEquals(204, dav.put("/sum.bin", body, "OC-Checksum", "ADLER32:0a0b0c0d").statusCode(), "not computed here: unchecked");
  }

  @Test
  void anMd5OcChecksumIsCheckedThoughTheServerComputesSha1OnlyAndIsThenListed() throws Exception {
    byte[] body = new byte[2_000_000];
    new Random(5).nextBytes(body);
    String md5 = hex("MD5", body);
    long before = dav.lastJid();
    HttpResponse<byte[]> wrong = dav.put("/md5.bin", body, "OC-Checksum", "MD5:" + hex("MD5", new byte[1]));
    assertEquals(400, wrong.statusCode(), "an MD5 the body does not have is refused");
    assertEquals(before, dav.lastJid(), "nothing committed");
    assertEquals(201, dav.put("/md5.bin", body, "OC-Checksum", "MD5:" + md5).statusCode());
    assertTrue(propfind("/md5.bin").contains(">SHA1:" + hex("SHA-1", body) + " MD5:" + md5 + "<"), propfind("/md5.bin"));
  }

  @Test
  void aPutOfTheCurrentContentMakesNoVersion() {
    byte[] body = "unchanged".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> first = dav.put("/same.txt", body, "X-OC-Mtime", "1600000000");
    long jid = dav.lastJid();
    HttpResponse<byte[]> again = dav.put("/same.txt", body, "X-OC-Mtime", "1600000000");
    assertEquals(204, again.statusCode());
    assertEquals(first.headers().firstValue("ETag"), again.headers().firstValue("ETag"));
    assertEquals(jid, dav.lastJid(), "no journal row");
    assertEquals(1, dav.history("/same.txt").size());

    dav.put("/same.txt", body, "X-OC-Mtime", "1600000100");
    assertEquals(2, dav.history("/same.txt").size(), "a new mtime alone is one row");
    assertTrue(propfind("/same.txt").contains("<D:getlastmodified>Sun, 13 Sep 2020 12:28:20 GMT"));
  }

  @Test
  void aProppatchOfLastmodifiedSetsTheMtimeAndAcceptsTheServersOwnChecksum() throws Exception {
    byte[] body = "touch me".getBytes(StandardCharsets.UTF_8);
    dav.put("/touch.txt", body, "X-OC-Mtime", "1600000000");
    String patch = """
        <?xml version="1.0" encoding="utf-8" ?>
        <D:propertyupdate xmlns:D="DAV:" xmlns:oc="http://owncloud.org/ns"><D:set><D:prop>
           <lastmodified xmlns="DAV:">1700000000</lastmodified>
           <oc:checksums><oc:checksum>SHA1:%s</oc:checksum></oc:checksums>
        </D:prop></D:set></D:propertyupdate>""";
    HttpResponse<byte[]> ok = dav.send("PROPPATCH", "/touch.txt", patch.formatted(hex("SHA-1", body)));
    assertEquals(207, ok.statusCode());
    assertTrue(TestDav.text(ok).contains("200 OK") && !TestDav.text(ok).contains("403"), TestDav.text(ok));
    assertTrue(propfind("/touch.txt").contains("Tue, 14 Nov 2023 22:13:20 GMT"), propfind("/touch.txt"));
    assertEquals(2, dav.history("/touch.txt").size());

    long before = dav.lastJid();
    HttpResponse<byte[]> forged = dav.send("PROPPATCH", "/touch.txt", patch.replace("1700000000", "1800000000")
        .formatted("0".repeat(40)));
    assertTrue(TestDav.text(forged).contains("403"), TestDav.text(forged));
    assertEquals(before, dav.lastJid(), "all or none: the mtime was not set either");
    String internal = """
        <D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>
        <x:content-digests xmlns:x="urn:io.cairn:internal">x</x:content-digests></D:prop></D:set></D:propertyupdate>""";
    assertTrue(TestDav.text(dav.send("PROPPATCH", "/touch.txt", internal)).contains("403"));
    HttpResponse<byte[]> all = dav.send("PROPFIND", "/touch.txt", (byte[]) null, "Depth", "0");
    assertFalse(TestDav.text(all).contains("urn:io.cairn:internal"), "the server's own property is hidden");
    HttpResponse<byte[]> listing = dav.send("PROPFIND", "/", (byte[]) null, "Depth", "1");
    assertTrue(TestDav.text(listing).contains("/touch.txt"), TestDav.text(listing));
    assertFalse(TestDav.text(listing).contains("urn:io.cairn:internal"), "hidden in a folder's listing too");
  }
}
