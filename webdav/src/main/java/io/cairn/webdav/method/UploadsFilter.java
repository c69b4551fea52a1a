package io.cairn.webdav.method;

import io.cairn.core.ContentHash;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.ContentUpload;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.Preconditions;
import io.cairn.files.StagedUploads;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.PathCodec;
import io.cairn.webdav.UrlBase;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.cairn.webdav.lock.IfHeader;
import io.cairn.webdav.lock.LockSupport;
import io.cairn.webdav.lock.LockTarget;
import io.cairn.webdav.props.OwnCloudProperties;
import io.cairn.webdav.props.PropertyContext;
import io.cairn.webdav.views.CairnViews;
import io.cairn.webdav.xml.PropfindRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Nextcloud's chunked upload (its "chunking v2", which ownCloud's clients speak too), served under
 * a {@link UrlBase.Kind#UPLOADS} base, {@code /remote.php/dav/uploads/<user>/}, over {@link
 * StagedUploads}:
 *
 * <ol>
 *   <li>{@code MKCOL <id>}: a new upload (405 when it exists);
 *   <li>{@code PUT <id>/<n>}: part {@code n} (any name; numbers are put in numeric order);
 *   <li>{@code PROPFIND <id>} at Depth 1: the parts stored so far, so a client can resume;
 *   <li>{@code MOVE <id>/.file} with {@code Destination} (a URL under the same user's {@code
 *       /remote.php/dav/files/<user>/}): the parts become that file, checked against {@code
 *       OC-Total-Length} and {@code OC-Checksum}, with the mtime of {@code X-OC-Mtime}, only if the
 *       {@code If} header's entity tags (which the clients tag with the destination) and {@code
 *       Overwrite} hold, and no one else's lock covers it; the upload is then removed. Answers 201 (or 204 for an overwrite) with the
 *       file's {@code ETag}, {@code OC-ETag} and {@code OC-FileId};
 *   <li>{@code DELETE <id>}: the upload is abandoned.
 * </ol>
 *
 * Runs right after {@link ErrorFilter} and before the views; any other request passes on.
 */
public final class UploadsFilter implements Filter {
  private final DavSite site;
  private final StagedUploads uploads;
  private final LockSupport locks;

  /** @param locks the site's class 2 locks, which the destination is held to; null without */
  public UploadsFilter(DavSite site, StagedUploads uploads, LockSupport locks) {
    this.site = site;
    this.uploads = uploads;
    this.locks = locks;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    UrlBase base = UrlBase.current();
    if (base == null || base.kind() != UrlBase.Kind.UPLOADS) {
      chain.process(request, response);
      return;
    }
    Exchange x = new Exchange((VertxMiltonRequest) request, (VertxMiltonResponse) response, site);
    DavMethod method = request.getMethod() == null ? null : DavMethod.named(request.getMethod().code);
    String[] at = segments(x.request.rawPath());
    try {
      if (method == DavMethod.OPTIONS) {
        x.response.setNonStandardHeader("Allow", "OPTIONS, PROPFIND, MKCOL, PUT, MOVE, DELETE");
        x.response.setContentLengthHeader(0L);
        x.status(200);
        return;
      }
      Caller caller = x.caller();
      switch (at.length) {
        case 0 -> {
          if (method != DavMethod.PROPFIND) {
            throw new DavException(405, "the uploads folder itself only lists");
          }
          propfind(x, caller, null);
        }
        case 1 -> {
          switch (method == null ? DavMethod.GET : method) {
            case MKCOL -> {
              uploads.begin(caller, at[0]);
              x.response.setContentLengthHeader(0L);
              x.status(201);
            }
            case PROPFIND -> propfind(x, caller, at[0]);
            case DELETE -> {
              uploads.cancel(caller, at[0]);
              x.status(204);
            }
            default -> throw new DavException(405, "an upload folder takes MKCOL, PROPFIND and DELETE");
          }
        }
        default -> {
          switch (method == null ? DavMethod.GET : method) {
            case PUT -> {
              if (x.header("Content-Length") == null) {
                throw new DavException(411, "a part needs a Content-Length");
              }
              uploads.part(caller, at[0], at[1], x.request.getInputStream(), length(x));
              x.response.setContentLengthHeader(0L);
              x.status(201);
            }
            case MOVE -> finish(x, caller, at[0], at[1]);
            case PROPFIND -> propfindPart(x, caller, at[0], at[1]);
            default -> throw new DavException(405, "a part takes PUT, and .file takes MOVE");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The decoded segments of a raw path below the base: none, an upload id, or an id and a part name. */
  private static String[] segments(String rawPath) {
    String path = PathCodec.decode(rawPath);
    if (path.equals(TreePaths.ROOT)) {
      return new String[0];
    }
    String[] parts = path.substring(1).split("/");
    if (parts.length > 2) {
      throw new DavException(404, "an upload holds parts, not folders");
    }
    return parts;
  }

  private void finish(Exchange x, Caller caller, String id, String name) throws IOException {
    if (!name.equals(".file")) {
      throw new DavException(403, "only .file, the assembled upload, can be moved");
    }
    FilePath target = destination(x, caller);
    FileService files = site.files();
    Entry current = files.entry(caller, target);
    if (current != null && current.isDirectory()) {
      throw new DavException(409, "the destination is a folder");
    }
    if (current != null && "F".equalsIgnoreCase(String.valueOf(x.header("Overwrite")).trim())) {
      throw new DavException(412, "the destination exists and Overwrite is F");
    }
    Expect expect = expectation(x, target, current);
    if (locks != null) {
      // Under the files base, so that a 423 names the destination's URL.
      boolean exists = current != null;
      UrlBase.within(UrlBase.files(caller.name()), () -> {
        locks.checkWrite(x.request, new LockTarget(target.ns(), target.path()), exists);
        return null;
      });
    }
    Entry parent = files.entry(caller, target.parent());
    if (parent == null || !parent.isDirectory()) {
      throw new DavException(409, "the destination's parent folder does not exist");
    }
    long total = longHeader(x, "OC-Total-Length");
    String ocMtime = x.header("X-OC-Mtime");
    Instant mtime = ocMtime == null ? null : OwnCloudProperties.unixTime(ocMtime);
    List<String[]> checksums = PutHandler.checksums(x.header("OC-Checksum"));
    files.checkRoom(caller, target, current == null ? 0 : current.size(), Math.max(total, 0));
    String claimed = uploads.claim(caller, id);
    JournalRow row;
    try {
      ContentUpload.Result content = uploads.assemble(caller, claimed, total, PutHandler.typesOf(checksums));
      PutHandler.verify(content, checksums);
      row = files.put(caller, target, content, mtime, expect);
    } catch (RuntimeException | IOException e) {
      uploads.release(caller, claimed, id);
      throw e;
    }
    uploads.cancel(caller, claimed);
    if (mtime != null) {
      x.response.setNonStandardHeader("X-OC-Mtime", "accepted");
    }
    String etag = ContentHash.etag(row.contentHash());
    x.response.setNonStandardHeader("ETag", etag);
    x.response.setNonStandardHeader("OC-ETag", etag);
    Entry written = files.entry(caller, target);
    if (written != null) {
      x.response.setNonStandardHeader("OC-FileId", OwnCloudProperties.ocId(written));
      x.response.setNonStandardHeader("OC-Perm", OwnCloudProperties.permissions(caller, target, written));
    }
    x.response.setContentLengthHeader(0L);
    x.status(current == null ? 201 : 204);
  }

  /** The file a MOVE of {@code .file} makes: a URL under the same user's files base. */
  private FilePath destination(Exchange x, Caller caller) {
    String d = x.header("Destination");
    if (d == null || d.isBlank()) {
      throw DavException.badRequest("MOVE of .file needs a Destination");
    }
    String raw = UrlBase.within(UrlBase.files(caller.name()), () -> LocalUrls.rawPath(d, x.header("Host")));
    if (raw == null) {
      throw new DavException(502, "the Destination is not under " + UrlBase.files(caller.name()));
    }
    if (CairnViews.contains(PathCodec.decode(raw))) {
      throw DavException.forbidden(ViewsFilter.READ_ONLY);
    }
    FilePath target = site.mount().resolve(raw);
    if (target.isRoot()) {
      throw new DavException(403, "the Destination is the root folder");
    }
    return target;
  }

  /**
   * What the commit must hold to: the {@code If} header's conditions on the destination (the
   * Nextcloud client sends {@code If: <destination> (["etag"])} when it replaces a file it knows),
   * then {@code If-Match}/{@code If-None-Match} on it; 412 when they fail.
   */
  private Expect expectation(Exchange x, FilePath target, Entry current) {
    String etag = current == null ? null : ContentHash.etag(current.contentHash());
    IfHeader header;
    try {
      header = IfHeader.parse(x.header("If"));
    } catch (IfHeader.Malformed e) {
      throw DavException.badRequest("malformed If header: " + e.getMessage());
    }
    if (header != null) {
      IfHeader parsed = header;
      boolean holds = header.evaluate(tag -> {
        if (tag == null) {
          return IfHeader.ResourceState.NONE;
        }
        String raw = ifTarget(x, tag);
        boolean same = raw != null && site.mount().resolve(raw).equals(target);
        // Lock tokens are the lock check's to judge (checkWrite): here they count as held.
        return same ? new IfHeader.ResourceState(etag, parsed.stateTokens()) : IfHeader.ResourceState.NONE;
      });
      if (!holds) {
        throw new DavException(412, "the destination changed: its If condition does not hold");
      }
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, current, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    if (header != null && current != null) {
      return Expect.version(current.version());
    }
    return header != null ? Expect.ABSENT : pre.expect();
  }

  private String ifTarget(Exchange x, String tag) {
    try {
      return UrlBase.within(UrlBase.files(x.caller().name()), () -> LocalUrls.rawPath(tag, x.header("Host")));
    } catch (DavException e) {
      return null;
    }
  }

  private void propfind(Exchange x, Caller caller, String id) throws IOException {
    int depth = x.depth();
    if (depth == Exchange.INFINITY) {
      throw new DavException(403, "Depth: infinity is not supported", "propfind-finite-depth");
    }
    PropfindRequest body = PropfindRequest.parse(x.readSmallBody());
    Entry self = id == null ? null : uploads.upload(caller, id);
    if (id != null && self == null) {
      throw new DavException(404, "no upload " + id);
    }
    List<Entry> members = depth == 0 ? List.of() : id == null ? List.of() : uploads.parts(caller, id);
    try (Multistatus out = new Multistatus(x)) {
      write(out, x, caller, body, id == null ? folderEntry() : self, id == null ? "/" : "/" + enc(id) + "/");
      for (Entry part : members) {
        write(out, x, caller, body, part, "/" + enc(id) + "/" + enc(part.name()));
      }
    }
  }

  private void propfindPart(Exchange x, Caller caller, String id, String name) throws IOException {
    PropfindRequest body = PropfindRequest.parse(x.readSmallBody());
    Entry part = uploads.parts(caller, id).stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new DavException(404, "no part " + name));
    try (Multistatus out = new Multistatus(x)) {
      write(out, x, caller, body, part, "/" + enc(id) + "/" + enc(name));
    }
  }

  private void write(Multistatus out, Exchange x, Caller caller, PropfindRequest body, Entry entry, String below)
      throws IOException {
    String href = UrlBase.current().href(below);
    // An upload or a part: its namespace path is the home's root, its quota the home's.
    PropertyContext ctx = new HomeContext(site, caller, new FilePath(caller.home(), TreePaths.ROOT), entry, href);
    new PropertyWriter(site, caller, body).write(out, ctx, Map::of);
  }

  private static Entry folderEntry() {
    return new Entry(TreePaths.ROOT, io.cairn.storage.EntryKind.DIRECTORY, 0, Instant.EPOCH, null,
        io.cairn.core.Blocklist.EMPTY, 0, Instant.EPOCH);
  }

  private static String enc(String name) {
    return PathCodec.encode(TreePaths.ROOT + name, false).substring(1);
  }

  private static long length(Exchange x) {
    String l = x.header("Content-Length");
    return l == null ? -1 : longHeader(x, "Content-Length");
  }

  private static long longHeader(Exchange x, String name) {
    String v = x.header(name);
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw DavException.badRequest(name + " must be a number of bytes");
    }
  }
}
