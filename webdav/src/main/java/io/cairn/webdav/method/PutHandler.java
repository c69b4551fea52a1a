package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.cairn.files.ContentUpload;
import io.cairn.files.DigestType;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;
import io.cairn.webdav.props.OwnCloudProperties;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PUT (RFC 9110 §9.3.4, RFC 4918 §9.7): streams the body through the chunker into the chunk store,
 * then commits one journal row. A body that does not arrive whole (the client went away, fewer
 * bytes than announced) commits nothing, so the previous version stays. Everything that can be
 * refused is refused before the body is read: a partial PUT (Content-Range, 400), a directory
 * target (405), a missing parent (409, never created on the fly), failed conditions (412), an
 * announced length over the quota or over the store's free space (507). Refused before the body
 * means before the {@code 100 Continue} too: the request body sends it when it is first read.
 *
 * <p>The ownCloud headers sync tools send (rclone's {@code owncloud} and {@code nextcloud}
 * vendors): {@code X-OC-Mtime} (Unix seconds, possibly fractional) sets the file's mtime and is
 * answered with {@code X-OC-Mtime: accepted}; {@code OC-Checksum} ({@code SHA1:<hex>} or {@code
 * MD5:<hex>}) is checked against the digests computed while the body streamed (the server's own,
 * {@code upload.digests}, and the type the header names: an MD5 is computed for a PUT that sends
 * one, also where the server computes SHA-1 only), and a mismatch is a 400 that commits nothing (a
 * type unknown here, such as ADLER32, is not checked). Both are parsed before the body is read: a
 * malformed one is a 400 then.
 *
 * <p>Finder sends its uploads chunked with the real length in {@code X-Expected-Entity-Length};
 * the whole body is read either way and checked against that length.
 */
final class PutHandler extends DavHandler {

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,128}");

  PutHandler(DavSite site) {
    super(site, DavMethod.PUT);
  }

  @Override
  void handle(Exchange x) throws IOException {
    if (x.header("Content-Range") != null) {
      throw DavException.badRequest("partial PUT with Content-Range is not supported");
    }
    FilePath target = x.target();
    Entry current = target.isRoot() ? null : site.files().entry(x.caller(), target);
    if (target.isRoot() || current != null && current.isDirectory()) {
      // A 405 names what is allowed (RFC 9110 §15.5.6).
      x.response.setNonStandardHeader("Allow", DavMethod.allow(DavMethod.Target.FOLDER));
      throw new DavException(405, "cannot PUT to a collection");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    if (current == null) {
      Entry parent = site.files().entry(x.caller(), target.parent());
      if (parent == null || !parent.isDirectory()) {
        throw new DavException(409, "the parent collection does not exist");
      }
      site.files().checkNewEntry(x.caller(), target); // the configured depth and folder size: 403, 507
    }
    long expected = expectedLength(x);
    String ocMtime = x.header("X-OC-Mtime");
    Instant mtime = ocMtime == null ? null : OwnCloudProperties.unixTime(ocMtime);
    List<String[]> checksums = checksums(x.header("OC-Checksum"));
    // Every refusal before the body is read: access, the quota, the store's free space (403, 507),
    // the largest upload (413, in upload()).
    // The announced length is counted whole against the free space: the new content is stored
    // before the old one's chunks can go.
    site.files().checkRoom(x.caller(), target, current == null ? 0 : current.size(), Math.max(expected, 0));
    ContentUpload.Result content = site.files().upload(x.request.getInputStream(), expected, typesOf(checksums));
    verify(content, checksums);
    JournalRow row = site.files().put(x.caller(), target, content, mtime, pre.expect(), current);
    if (mtime != null) {
      x.response.setNonStandardHeader("X-OC-Mtime", "accepted");
    }
    x.response.setNonStandardHeader("ETag", ContentHash.etag(row.contentHash()));
    OcHeaders.send(x, target);
    x.response.setContentLengthHeader(0L);
    x.status(current == null ? 201 : 204);
  }

  /** A 400 when uploaded content does not match an OC-Checksum word of a type computed here. */
  static void verify(ContentUpload.Result content, List<String[]> checksums) {
    for (String[] c : checksums) {
      if (content.digests() != null && Boolean.FALSE.equals(content.digests().matches(c[0], c[1]))) {
        throw DavException.badRequest("the body does not match its OC-Checksum " + c[0] + ":" + c[1]);
      }
    }
  }

  /** The digest types named in {@code checksums} that this server knows how to compute. */
  static Set<DigestType> typesOf(List<String[]> checksums) {
    Set<DigestType> types = EnumSet.noneOf(DigestType.class);
    for (String[] c : checksums) {
      DigestType t = DigestType.named(c[0]);
      if (t != null) {
        types.add(t);
      }
    }
    return types;
  }

  /** The {@code TYPE:hex} words of an OC-Checksum header, none when absent; a malformed one is a 400. */
  static List<String[]> checksums(String header) {
    List<String[]> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    for (String word : header.trim().split("\\s+")) {
      int colon = word.indexOf(':');
      if (colon <= 0 || !HEX.matcher(word.substring(colon + 1)).matches()) {
        throw DavException.badRequest("OC-Checksum must be TYPE:hex, such as SHA1:" + "0".repeat(40));
      }
      out.add(new String[] {word.substring(0, colon), word.substring(colon + 1)});
    }
    return out;
  }

  /** Content-Length, else X-Expected-Entity-Length (Finder), else -1. */
  private static long expectedLength(Exchange x) {
    String length = x.header("Content-Length");
    if (length == null) {
      length = x.header("X-Expected-Entity-Length");
    }
    if (length == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(length.trim());
      if (n < 0) {
        throw DavException.badRequest("negative length");
      }
      return n;
    } catch (NumberFormatException e) {
      throw DavException.badRequest("invalid length header");
    }
  }
}
