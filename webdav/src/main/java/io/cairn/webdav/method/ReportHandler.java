package io.cairn.webdav.method;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.xml.SafeXml;
import io.cairn.webdav.xml.SyncCollectionRequest;
import java.io.IOException;
import org.w3c.dom.Document;

/**
 * REPORT (RFC 3253 §3.6) with the one report Cairn has, {@code DAV:sync-collection} (RFC 6578), on
 * folders; {@link SyncReport} answers it. Refusals, in order: a Depth other than 0 (400, RFC 6578
 * §3.2; 1 is let through, because python-caldav sends it, and {@code DAV:sync-level} alone says how
 * deep), a missing or malformed body (400), another report or a target that is not a folder (403
 * {@code DAV:supported-report}, RFC 3253 §3.6), a missing target (404), a token that does not fit
 * (403 {@code DAV:valid-sync-token}). The report reads only: share access and locks treat it as a
 * read ({@link DavMethod#REPORT}).
 */
final class ReportHandler extends DavHandler {
  ReportHandler(DavSite site) {
    super(site, DavMethod.REPORT);
  }

  @Override
  void handle(Exchange x) throws IOException {
    String depth = x.header("Depth");
    if (depth != null && !depth.strip().equals("0") && !depth.strip().equals("1")) {
      throw DavException.badRequest("a sync-collection report takes Depth: 0; DAV:sync-level says how deep");
    }
    FilePath target = x.target();
    byte[] body = x.readSmallBody();
    if (body.length == 0) {
      throw DavException.badRequest("a REPORT needs a body naming the report");
    }
    Document doc = SafeXml.parse(body);
    if (!SyncCollectionRequest.isSyncCollection(doc)) {
      throw new DavException(403, "the only report here is DAV:sync-collection", "supported-report");
    }
    SyncCollectionRequest request = SyncCollectionRequest.parse(doc);
    Caller caller = x.caller();
    Entry entry = site.files().entry(caller, target);
    if (entry == null) {
      throw new DavException(404, "not found");
    }
    if (!entry.isDirectory()) {
      throw new DavException(403, "a sync-collection report is run on a collection", "supported-report");
    }
    new SyncReport(site, caller, SyncScope.of(caller, target, request.infinite()), request).run(x);
  }
}
