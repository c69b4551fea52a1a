package io.cairn.webdav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.webdav.DavException;
import org.w3c.dom.Document;

/**
 * Fuzz targets for the XML bodies anyone with an account sends: PROPFIND, PROPPATCH and the
 * sync-collection REPORT. Whatever the bytes (up to the body limit), each parser answers a request
 * or refuses with its 400 {@link DavException}; any other exception, a hang or a stack overflow
 * fails. LOCK's body is fuzzed beside its parser ({@code LockRequestFuzzTest}).
 *
 * <p>A plain test run replays the seeds in {@code
 * src/test/resources/io/cairn/webdav/xml/XmlBodyFuzzTestInputs/<target>/}; {@code bin/fuzz} fuzzes
 * each target for its {@code maxDuration} and leaves any crashing input there as a new seed.
 */
class XmlBodyFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void propfindParsesOrRefusesWith400(byte[] body) {
    PropfindRequest r;
    try {
      r = PropfindRequest.parse(body);
    } catch (DavException e) {
      assertEquals(400, e.status(), e.getMessage());
      return;
    }
    assertNotNull(r.kind());
    r.names().forEach(n -> assertFalse(n.localName().isEmpty(), "a property without a name"));
  }

  @FuzzTest(maxDuration = "30s")
  void proppatchParsesOrRefusesWith400(byte[] body) {
    ProppatchRequest r;
    try {
      r = ProppatchRequest.parse(body);
    } catch (DavException e) {
      assertEquals(400, e.status(), e.getMessage());
      return;
    }
    r.changes().forEach(c -> assertFalse(c.name().localName().isEmpty(), "a property without a name"));
  }

  @FuzzTest(maxDuration = "30s")
  void syncCollectionParsesOrRefusesWith400(byte[] body) {
    try {
      Document doc = SafeXml.parse(body);
      if (SyncCollectionRequest.isSyncCollection(doc)) {
        SyncCollectionRequest r = SyncCollectionRequest.parse(doc);
        assertNotNull(r.properties());
      }
    } catch (DavException e) {
      assertEquals(400, e.status(), e.getMessage());
    }
  }
}
