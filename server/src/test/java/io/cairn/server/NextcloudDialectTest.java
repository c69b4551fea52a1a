package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.storage.users.Grant;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nextcloud/ownCloud clients' dialect over real HTTP: discovery, their DAV URLs mapped onto the
 * user's view, file ids and folder ETags as the clients rely on them, and chunked upload with the
 * checks a client's claims get (total length, checksum, the If header on the destination).
 */
class NextcloudDialectTest {
  @TempDir static Path dir;
  static TestServer s;
  static final String ALICE = TestServer.basic("alice", "alice-password");
  static final String BOB = TestServer.basic("bob", "bob-password");
  static final String FILES = "/remote.php/dav/files/alice";
  static final String UPLOADS = "/remote.php/dav/uploads/alice";
  static final String PROPS = "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\">"
      + "<d:prop><d:getetag/><oc:fileid/><oc:id/><oc:size/><oc:permissions/><oc:checksums/></d:prop></d:propfind>";

  @BeforeAll
  static void start() {
    s = TestServer.start(dir);
    s.server.accounts().addUser("alice", "alice-password", false);
    s.server.accounts().addUser("bob", "bob-password", false);
    s.server.accounts().createShared("team");
    s.server.accounts().grant("team", "alice", Grant.Access.WRITE);
    s.server.accounts().grant("team", "bob", Grant.Access.WRITE);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static HttpResponse<byte[]> send(String who, String method, String path, byte[] body, String... headers) throws Exception {
    return s.send(who, method, path, body, headers);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> propfind(String who, String path, String depth) throws Exception {
    return send(who, "PROPFIND", path, PROPS.getBytes(StandardCharsets.UTF_8), "Depth", depth);
  }

  /** The text of the first {@code <prefix:name>} element in a multistatus, whatever its prefix. */
  static String prop(String xml, String name) {
    String local = name.substring(name.indexOf(':') + 1);
    Matcher m = Pattern.compile("<(\\w+):" + local + "(?: [^>]*)?>([^<]*)</\\1:" + local + ">").matcher(xml);
    return m.find() ? m.group(2) : null;
  }

  @Test
  void statusIsAnonymousJsonThatTheClientsAccept() throws Exception {
    HttpResponse<byte[]> r = send(null, "GET", "/status.php", null);
    assertEquals(200, r.statusCode());
    JsonObject status = new JsonObject(text(r));
    assertTrue(status.getBoolean("installed"));
    assertFalse(status.getBoolean("maintenance"));
    assertEquals("Cairn", status.getString("productname"));
    assertTrue(status.getString("version").matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), status.getString("version"));
  }

  @Test
  void capabilitiesAdvertiseChunkingAndChecksumsInJsonAndXml() throws Exception {
    HttpResponse<byte[]> v1 = send(ALICE, "GET", "/ocs/v1.php/cloud/capabilities?format=json", null);
    assertEquals(200, v1.statusCode());
    JsonObject ocs = new JsonObject(text(v1)).getJsonObject("ocs");
    assertEquals(100, ocs.getJsonObject("meta").getInteger("statuscode"));
    JsonObject caps = ocs.getJsonObject("data").getJsonObject("capabilities");
    assertEquals("1.0", caps.getJsonObject("dav").getString("chunking"));
    assertTrue(caps.getJsonObject("checksums").getJsonArray("supportedTypes").contains("SHA1"));
    assertFalse(caps.containsKey("files_sharing"), "no sharing API is advertised");

    HttpResponse<byte[]> v2 = send(ALICE, "GET", "/ocs/v2.php/cloud/capabilities", null);
    assertEquals(200, v2.statusCode());
    assertTrue(v2.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
    assertTrue(text(v2).contains("<statuscode>200</statuscode>"), text(v2));
    assertTrue(text(v2).contains("<chunking>1.0</chunking>"), text(v2));

    assertEquals(401, send(null, "GET", "/ocs/v1.php/cloud/capabilities?format=json", null).statusCode());
    assertEquals(401, send(TestServer.basic("alice", "wrong-password"), "GET", "/ocs/v1.php/cloud/user", null).statusCode());
  }

  @Test
  void userEndpointNamesTheSignedInUser() throws Exception {
    HttpResponse<byte[]> r = send(BOB, "GET", "/ocs/v1.php/cloud/user?format=json", null);
    assertEquals(200, r.statusCode());
    JsonObject data = new JsonObject(text(r)).getJsonObject("ocs").getJsonObject("data");
    assertEquals("bob", data.getString("id"));
    assertNotNull(data.getJsonObject("quota").getLong("used"));
    HttpResponse<byte[]> unknown = send(BOB, "GET", "/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json", null);
    assertEquals(404, unknown.statusCode());
  }

  @Test
  void davUrlsShowTheUsersViewWithHrefsUnderThem() throws Exception {
    assertEquals(201, send(ALICE, "PUT", FILES + "/hrefs%20a.txt", "a".getBytes()).statusCode());
    HttpResponse<byte[]> r = propfind(ALICE, FILES + "/", "1");
    assertEquals(207, r.statusCode());
    String xml = text(r);
    assertTrue(xml.contains("<D:href>" + FILES + "/hrefs%20a.txt</D:href>"), xml);
    assertFalse(xml.contains("<D:href>/hrefs"), "no href of the plain root: " + xml);
    assertFalse(xml.contains(".cairn"), "the version and trash views are not listed to sync clients: " + xml);
    // The same file through the ownCloud client's URL and the plain root.
    String webdav = text(propfind(ALICE, "/remote.php/webdav/hrefs%20a.txt", "0"));
    assertTrue(webdav.contains("<D:href>/remote.php/webdav/hrefs%20a.txt</D:href>"), webdav);
    assertEquals("a", text(send(ALICE, "GET", "/hrefs%20a.txt", null)));
    // Another user's URL is refused, and does not reach their files.
    assertEquals(403, send(ALICE, "GET", "/remote.php/dav/files/bob/x.txt", null).statusCode());
    assertEquals(403, send(ALICE, "PUT", "/remote.php/dav/files/bob/x.txt", "x".getBytes()).statusCode());
    assertEquals(404, send(BOB, "GET", "/remote.php/dav/files/bob/x.txt", null).statusCode());
    assertEquals(404, send(ALICE, "GET", "/remote.php/dav/elsewhere/alice/", null).statusCode());
    // A Destination outside the URL the request came through is not this endpoint's.
    assertEquals(502, send(ALICE, "MOVE", FILES + "/hrefs%20a.txt", null,
        "Destination", s.url("/remote.php/dav/files/bob/stolen.txt")).statusCode());
  }

  @Test
  void fileIdsSurviveMovesAndFolderEtagsFollowTheirSubtree() throws Exception {
    assertEquals(201, send(ALICE, "MKCOL", FILES + "/ids", null).statusCode());
    assertEquals(201, send(ALICE, "MKCOL", FILES + "/ids/deep", null).statusCode());
    assertEquals(201, send(ALICE, "MKCOL", FILES + "/other", null).statusCode());
    HttpResponse<byte[]> put = send(ALICE, "PUT", FILES + "/ids/deep/f.txt", "one".getBytes());
    assertEquals(201, put.statusCode());
    String fileId = put.headers().firstValue("OC-FileId").orElseThrow();
    assertEquals("DNVW", put.headers().firstValue("OC-Perm").orElse(null));
    assertEquals(put.headers().firstValue("ETag").orElseThrow(), put.headers().firstValue("OC-ETag").orElseThrow());
    String listed = text(propfind(ALICE, FILES + "/ids/deep/f.txt", "0"));
    assertEquals(fileId, prop(listed, "oc:id"));
    assertEquals(Long.parseLong(fileId.replaceAll("\\D+$", "")), Long.parseLong(prop(listed, "oc:fileid")));

    String idsTag = prop(text(propfind(ALICE, FILES + "/ids", "0")), "D:getetag");
    String otherTag = prop(text(propfind(ALICE, FILES + "/other", "0")), "D:getetag");
    assertNotNull(idsTag);
    assertEquals(204, send(ALICE, "PUT", FILES + "/ids/deep/f.txt", "two".getBytes()).statusCode());
    String idsAfter = prop(text(propfind(ALICE, FILES + "/ids", "0")), "D:getetag");
    assertNotEquals(idsTag, idsAfter, "a change two levels down changes the folder's ETag");
    assertEquals(otherTag, prop(text(propfind(ALICE, FILES + "/other", "0")), "D:getetag"), "a sibling's does not change");
    assertEquals("3", prop(text(propfind(ALICE, FILES + "/ids", "0")), "oc:size"));

    HttpResponse<byte[]> moved = send(ALICE, "MOVE", FILES + "/ids", null, "Destination", s.url(FILES + "/other/ids2"));
    assertEquals(201, moved.statusCode());
    assertEquals(fileId, prop(text(propfind(ALICE, FILES + "/other/ids2/deep/f.txt", "0")), "oc:id"),
        "the file id survives the move of a folder above it");
    assertNotEquals(otherTag, prop(text(propfind(ALICE, FILES + "/other", "0")), "D:getetag"));
    assertEquals(204, send(ALICE, "PUT", FILES + "/other/ids2/deep/f.txt", "three".getBytes()).statusCode());
    assertEquals(fileId, prop(text(propfind(ALICE, FILES + "/other/ids2/deep/f.txt", "0")), "oc:id"),
        "and an overwrite");
  }

  @Test
  void chunkedUploadAssemblesPartsInNumericOrderAfterCheckingTheClientsClaims() throws Exception {
    byte[] first = new byte[3 << 20];
    byte[] second = new byte[5 << 20];
    new java.util.Random(7).nextBytes(first);
    new java.util.Random(8).nextBytes(second);
    byte[] whole = new byte[first.length + second.length];
    System.arraycopy(first, 0, whole, 0, first.length);
    System.arraycopy(second, 0, whole, first.length, second.length);
    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(whole));
    String dest = s.url(FILES + "/chunked.bin");

    assertEquals(201, send(ALICE, "MKCOL", UPLOADS + "/t1", null).statusCode());
    assertEquals(405, send(ALICE, "MKCOL", UPLOADS + "/t1", null).statusCode(), "an upload that exists");
    // Named by offset, as ownCloud's client does: "10" sorts after "9" as a number, not as text.
    assertEquals(201, send(ALICE, "PUT", UPLOADS + "/t1/" + first.length, second).statusCode());
    assertEquals(201, send(ALICE, "PUT", UPLOADS + "/t1/0", first).statusCode());
    String parts = text(propfind(ALICE, UPLOADS + "/t1", "1"));
    assertTrue(parts.contains("<D:href>" + UPLOADS + "/t1/0</D:href>"), parts);

    assertEquals(400, send(ALICE, "MOVE", UPLOADS + "/t1/.file", null, "Destination", dest,
        "OC-Total-Length", String.valueOf(whole.length + 1)).statusCode(), "the parts do not add up");
    assertEquals(400, send(ALICE, "MOVE", UPLOADS + "/t1/.file", null, "Destination", dest,
        "OC-Checksum", "SHA1:" + "0".repeat(40)).statusCode(), "the checksum does not match");
    assertEquals(404, send(ALICE, "GET", FILES + "/chunked.bin", null).statusCode(), "nothing was committed");
    assertEquals(403, send(BOB, "MOVE", UPLOADS + "/t1/.file", null, "Destination", dest).statusCode(),
        "bob cannot use alice's upload");

    HttpResponse<byte[]> done = send(ALICE, "MOVE", UPLOADS + "/t1/.file", null, "Destination", dest,
        "OC-Total-Length", String.valueOf(whole.length), "OC-Checksum", "SHA1:" + sha1, "X-OC-Mtime", "1700000000");
    assertEquals(201, done.statusCode(), text(done));
    assertEquals("accepted", done.headers().firstValue("X-OC-Mtime").orElse(null));
    assertTrue(done.headers().firstValue("OC-FileId").isPresent());
    String etag = done.headers().firstValue("OC-ETag").orElseThrow();
    assertArrayEquals(whole, send(ALICE, "GET", FILES + "/chunked.bin", null).body());
    String props = text(propfind(ALICE, FILES + "/chunked.bin", "0"));
    assertTrue(props.contains("SHA1:" + sha1), "the assembled file has its checksum: " + props);
    assertEquals(404, propfind(ALICE, UPLOADS + "/t1", "0").statusCode(), "the upload is gone");

    // Replacing it: the client sends the ETag it knows in an If header tagged with the destination.
    assertEquals(201, send(ALICE, "MKCOL", UPLOADS + "/t2", null).statusCode());
    assertEquals(201, send(ALICE, "PUT", UPLOADS + "/t2/1", "new".getBytes()).statusCode());
    String ifStale = "<" + FILES + "/chunked.bin> ([\"stale\"])";
    assertEquals(412, send(ALICE, "MOVE", UPLOADS + "/t2/.file", null, "Destination", dest, "If", ifStale).statusCode());
    assertArrayEquals(whole, send(ALICE, "GET", FILES + "/chunked.bin", null).body(), "a stale If replaces nothing");
    String ifCurrent = "<" + FILES + "/chunked.bin> ([" + etag + "])";
    assertEquals(204, send(ALICE, "MOVE", UPLOADS + "/t2/.file", null, "Destination", dest, "If", ifCurrent).statusCode());
    assertEquals("new", text(send(ALICE, "GET", FILES + "/chunked.bin", null)));

    // An abandoned upload can be deleted; parts of an upload that does not exist are refused.
    assertEquals(201, send(ALICE, "MKCOL", UPLOADS + "/t3", null).statusCode());
    assertEquals(204, send(ALICE, "DELETE", UPLOADS + "/t3", null).statusCode());
    assertEquals(404, send(ALICE, "PUT", UPLOADS + "/t3/1", "x".getBytes()).statusCode());
  }

  @Test
  void versionsAreListedByFileIdReadAndRestored() throws Exception {
    HttpResponse<byte[]> created = send(ALICE, "PUT", FILES + "/v.txt", "version one".getBytes());
    assertEquals(201, created.statusCode());
    String fileId = prop(text(propfind(ALICE, FILES + "/v.txt", "0")), "oc:fileid");
    assertEquals(204, send(ALICE, "PUT", FILES + "/v.txt", "version two".getBytes()).statusCode());
    assertEquals(204, send(ALICE, "PUT", FILES + "/v.txt", "version three".getBytes()).statusCode());
    String versions = "/remote.php/dav/versions/alice/versions/" + fileId;
    String listing = text(propfind(ALICE, versions, "1"));
    Matcher hrefs = Pattern.compile("<D:href>(" + Pattern.quote(versions) + "/[0-9]+)</D:href>").matcher(listing);
    java.util.List<String> found = new java.util.ArrayList<>();
    while (hrefs.find()) {
      found.add(hrefs.group(1));
    }
    assertEquals(2, found.size(), "the two earlier versions, not the current one: " + listing);
    assertEquals("version two", text(send(ALICE, "GET", found.get(0), null)), "newest first");
    assertEquals("version one", text(send(ALICE, "GET", found.get(1), null)));
    assertEquals(201, send(ALICE, "MOVE", found.get(1), null,
        "Destination", s.url("/remote.php/dav/versions/alice/restore/target")).statusCode());
    assertEquals("version one", text(send(ALICE, "GET", FILES + "/v.txt", null)));
    assertEquals(3, countVersions(text(propfind(ALICE, versions, "1")), versions), "the restore is a version too");
    assertEquals(404, propfind(BOB, "/remote.php/dav/versions/bob/versions/" + fileId, "1").statusCode(),
        "another user's file id is not found");
  }

  static int countVersions(String xml, String versions) {
    Matcher m = Pattern.compile("<D:href>" + Pattern.quote(versions) + "/[0-9]+</D:href>").matcher(xml);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void theTrashBinListsReadsAndRestoresDeletedFiles() throws Exception {
    assertEquals(201, send(ALICE, "MKCOL", FILES + "/bin", null).statusCode());
    assertEquals(201, send(ALICE, "PUT", FILES + "/bin/gone.txt", "deleted words".getBytes()).statusCode());
    assertEquals(204, send(ALICE, "DELETE", FILES + "/bin/gone.txt", null).statusCode());
    String trash = "/remote.php/dav/trashbin/alice/trash";
    String listing = text(send(ALICE, "PROPFIND", trash, ("<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\" "
        + "xmlns:nc=\"http://nextcloud.org/ns\"><d:prop><nc:trashbin-filename/><nc:trashbin-original-location/>"
        + "<nc:trashbin-deletion-time/><d:getcontentlength/></d:prop></d:propfind>").getBytes(), "Depth", "1"));
    Matcher item = Pattern.compile("<D:href>(" + Pattern.quote(trash) + "/gone\\.txt\\.d[0-9]+)</D:href>").matcher(listing);
    assertTrue(item.find(), listing);
    assertTrue(listing.contains(">bin/gone.txt</"), "the original location: " + listing);
    assertTrue(listing.contains(">gone.txt</"), "the file name: " + listing);
    String href = item.group(1);
    assertEquals("deleted words", text(send(ALICE, "GET", href, null)));
    assertEquals(403, send(ALICE, "DELETE", href, null).statusCode(), "removals leave the trash by retention");
    assertEquals(404, send(BOB, "GET", href.replace("/alice/", "/bob/"), null).statusCode());
    assertEquals(201, send(ALICE, "MOVE", href, null,
        "Destination", s.url("/remote.php/dav/trashbin/alice/restore/gone.txt")).statusCode());
    assertEquals("deleted words", text(send(ALICE, "GET", FILES + "/bin/gone.txt", null)));
  }

  @Test
  void aChunkedUploadRespectsALockOnItsDestination() throws Exception {
    assertEquals(201, send(ALICE, "PUT", FILES + "/locked.txt", "held".getBytes()).statusCode());
    String lockBody = "<?xml version=\"1.0\"?><d:lockinfo xmlns:d=\"DAV:\"><d:lockscope><d:exclusive/></d:lockscope>"
        + "<d:locktype><d:write/></d:locktype><d:owner>test</d:owner></d:lockinfo>";
    HttpResponse<byte[]> lock = send(ALICE, "LOCK", FILES + "/locked.txt", lockBody.getBytes(), "Timeout", "Second-60");
    assertEquals(200, lock.statusCode(), text(lock));
    String token = lock.headers().firstValue("Lock-Token").orElseThrow();
    assertEquals(201, send(ALICE, "MKCOL", UPLOADS + "/t4", null).statusCode());
    assertEquals(201, send(ALICE, "PUT", UPLOADS + "/t4/1", "replaced".getBytes()).statusCode());
    String dest = s.url(FILES + "/locked.txt");
    assertEquals(423, send(ALICE, "MOVE", UPLOADS + "/t4/.file", null, "Destination", dest).statusCode());
    assertEquals("held", text(send(ALICE, "GET", FILES + "/locked.txt", null)));
    assertEquals(204, send(ALICE, "MOVE", UPLOADS + "/t4/.file", null, "Destination", dest,
        "If", "<" + FILES + "/locked.txt> (" + token + ")").statusCode());
    assertEquals("replaced", text(send(ALICE, "GET", FILES + "/locked.txt", null)));
  }

  @Test
  void theRootsEtagAndSizeCoverTheSharedFoldersShownInIt() throws Exception {
    String root = text(propfind(ALICE, FILES + "/", "0"));
    String rootTag = prop(root, "getetag");
    long rootSize = Long.parseLong(prop(root, "oc:size"));
    String teamTag = prop(text(propfind(ALICE, FILES + "/team", "0")), "getetag");
    // Bob writes into the shared folder: nothing in alice's home changed, but her view did.
    assertEquals(201, send(BOB, "PUT", "/remote.php/dav/files/bob/team/from-bob.txt", "12345".getBytes()).statusCode());
    String after = text(propfind(ALICE, FILES + "/", "0"));
    assertNotEquals(rootTag, prop(after, "getetag"), "a change in a share changes the root's ETag");
    assertEquals(rootSize + 5, Long.parseLong(prop(after, "oc:size")));
    assertNotEquals(teamTag, prop(text(propfind(ALICE, FILES + "/team", "0")), "getetag"));
    assertEquals("12345", text(send(ALICE, "GET", FILES + "/team/from-bob.txt", null)));
  }

  @Test
  void restoresThroughVersionsAndTrashAreHeldToLocks() throws Exception {
    assertEquals(201, send(ALICE, "PUT", FILES + "/team/held.txt", "one".getBytes()).statusCode());
    assertEquals(204, send(ALICE, "PUT", FILES + "/team/held.txt", "two".getBytes()).statusCode());
    String fileId = prop(text(propfind(ALICE, FILES + "/team/held.txt", "0")), "oc:fileid");
    String lockBody = "<?xml version=\"1.0\"?><d:lockinfo xmlns:d=\"DAV:\"><d:lockscope><d:exclusive/></d:lockscope>"
        + "<d:locktype><d:write/></d:locktype><d:owner>alice</d:owner></d:lockinfo>";
    assertEquals(200, send(ALICE, "LOCK", FILES + "/team/held.txt", lockBody.getBytes(), "Timeout", "Second-60").statusCode());
    String versions = "/remote.php/dav/versions/bob/versions/" + fileId;
    Matcher v = Pattern.compile("<D:href>(" + Pattern.quote(versions) + "/[0-9]+)</D:href>").matcher(text(propfind(BOB, versions, "1")));
    assertTrue(v.find(), "bob sees the shared file's versions");
    assertEquals(423, send(BOB, "MOVE", v.group(1), null,
        "Destination", s.url("/remote.php/dav/versions/bob/restore/target")).statusCode());
    assertEquals("two", text(send(BOB, "GET", "/team/held.txt", null)), "the locked file is unchanged");
  }

  @Test
  void trashListingsAnswerEveryPropertyAndHrefsHaveNoDoubleSlash() throws Exception {
    assertEquals(201, send(ALICE, "PUT", FILES + "/allprop.txt", "x".getBytes()).statusCode());
    assertEquals(204, send(ALICE, "DELETE", FILES + "/allprop.txt", null).statusCode());
    HttpResponse<byte[]> all = send(ALICE, "PROPFIND", "/remote.php/dav/trashbin/alice/trash", null, "Depth", "1");
    assertEquals(207, all.statusCode(), text(all));
    assertFalse(text(all).contains("//</D:href>"), text(all));
    assertEquals(207, propfind(ALICE, "/remote.php/dav/trashbin/alice/trash", "1").statusCode(), "getetag asked for");
    String versionsRoot = text(propfind(ALICE, "/remote.php/dav/versions/alice/versions", "0"));
    assertTrue(versionsRoot.contains("<D:href>/remote.php/dav/versions/alice/versions/</D:href>"), versionsRoot);
  }

  @Test
  void folderEtagsAreTheClientsOnlyAndPlainRootFoldersHaveNone() throws Exception {
    assertEquals(201, send(ALICE, "MKCOL", FILES + "/plain", null).statusCode());
    assertNotNull(prop(text(propfind(ALICE, FILES + "/plain", "0")), "getetag"));
    assertEquals(null, prop(text(propfind(ALICE, "/plain", "0")), "getetag"),
        "at the plain root a folder has no ETag, as GET and If-Match know none");
  }

  @Test
  void chunkedUploadsRefuseTheViewsFolderUnannouncedLengthsAndOtherPrefixes() throws Exception {
    assertEquals(201, send(ALICE, "MKCOL", UPLOADS + "/t5", null).statusCode());
    assertEquals(201, send(ALICE, "PUT", UPLOADS + "/t5/1", "x".getBytes()).statusCode());
    assertEquals(403, send(ALICE, "MOVE", UPLOADS + "/t5/.file", null, "Destination", s.url(FILES + "/.cairn")).statusCode());
    // A body of unannounced length (chunked): it could not be held to the quota before it is read.
    java.net.http.HttpRequest chunked = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url(UPLOADS + "/t5/2")))
        .header("Authorization", ALICE)
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("y".getBytes())))
        .build();
    assertEquals(411, s.client.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(404, send(ALICE, "PUT", "/status.php/webdav/x.txt", "x".getBytes()).statusCode());
    assertEquals(403, send(ALICE, "PROPFIND", UPLOADS + "/t5", null, "Depth", "infinity").statusCode());
  }

  @Test
  void stagedPartsOfEveryUploadCountAgainstTheQuota() throws Exception {
    s.server.accounts().addUser("carol", "carol-password", false);
    s.server.accounts().setQuota("carol", 3_000_000);
    String carol = TestServer.basic("carol", "carol-password");
    String uploads = "/remote.php/dav/uploads/carol";
    byte[] part = new byte[1_000_000];
    for (int i = 1; i <= 2; i++) {
      assertEquals(201, send(carol, "MKCOL", uploads + "/q" + i, null).statusCode());
      assertEquals(201, send(carol, "PUT", uploads + "/q" + i + "/0", part).statusCode());
    }
    assertEquals(201, send(carol, "MKCOL", uploads + "/q3", null).statusCode());
    assertEquals(201, send(carol, "PUT", uploads + "/q3/0", part).statusCode());
    assertEquals(507, send(carol, "PUT", uploads + "/q3/1", part).statusCode(), "three uploads' parts fill the quota");
  }
}
