package io.cairn.server.nextcloud;

import io.cairn.files.Caller;
import io.cairn.files.FileService;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.Exchange;
import io.cairn.server.http.Front;
import io.cairn.webdav.DavException;
import io.cairn.webdav.PathCodec;
import io.cairn.webdav.UrlBase;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nextcloud and ownCloud clients' dialect (docs/clients.md, ADR 0010): the discovery they start
 * with ({@code /status.php}, the OCS endpoints under {@code /ocs/v1.php/} and {@code /ocs/v2.php/}),
 * and their WebDAV URLs, served by the one WebDAV front under a {@link UrlBase}:
 *
 * <ul>
 *   <li>{@code /remote.php/dav/files/<user>/} and {@code /remote.php/webdav/}: the caller's view,
 *       as at {@code /} (a URL naming another user than the one signed in is 403);
 *   <li>{@code /remote.php/dav/uploads/<user>/}: chunked uploads ({@code StagedUploads});
 *   <li>{@code /remote.php/dav/versions/<user>/} and {@code /remote.php/dav/trashbin/<user>/}: the
 *       versions of a file and the trash bin ({@code HistoryFilter}).
 * </ul>
 *
 * Anything else under {@code /remote.php/} is 404. Authentication, access logs and metrics are the
 * edge's, as for every front.
 */
public final class NextcloudFront implements Front {
  /** The prefixes the edge routes here. */
  public static final List<String> PREFIXES = List.of("/status.php/", "/ocs/", "/remote.php/");

  private final Front webdav;
  private final Discovery discovery;

  public NextcloudFront(Front webdav, FileService files, String version) {
    this.webdav = webdav;
    this.discovery = new Discovery(files, version);
  }

  @Override
  public Call accept(HttpServerRequest req, Exchange exchange) {
    String path = req.path();
    if (path.equals("/status.php")) {
      return discovery.status(req);
    }
    if (path.startsWith("/ocs/")) {
      return discovery.ocs(req);
    }
    UrlBase base;
    try {
      base = base(path);
    } catch (DavException e) {
      return Discovery.plain(req, e.status(), e.getMessage(), true);
    }
    if (base == null) {
      return Discovery.plain(req, 404, "not found: Cairn serves /remote.php/dav/files/USER/, "
          + "/remote.php/dav/uploads/USER/, /remote.php/dav/versions/USER/, /remote.php/dav/trashbin/USER/ "
          + "and /remote.php/webdav/", false);
    }
    return under(base, webdav.accept(req, exchange));
  }

  /**
   * The base a {@code /remote.php/} path lies under, or null when it names nothing served here.
   *
   * @throws DavException 400 for a user segment that does not decode
   */
  static UrlBase base(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    if (segments.isEmpty() || !segments.get(0).equals("remote.php")) {
      return null;
    }
    if (segments.size() >= 2 && segments.get(1).equals("webdav")) {
      return new UrlBase(UrlBase.Kind.FILES, null, List.of("remote.php", "webdav"));
    }
    if (segments.size() < 4 || !segments.get(1).equals("dav")) {
      return null;
    }
    UrlBase.Kind kind = switch (segments.get(2)) {
      case "files" -> UrlBase.Kind.FILES;
      case "uploads" -> UrlBase.Kind.UPLOADS;
      case "versions" -> UrlBase.Kind.VERSIONS;
      case "trashbin" -> UrlBase.Kind.TRASHBIN;
      default -> null;
    };
    if (kind == null) {
      return null;
    }
    String user = PathCodec.decode("/" + segments.get(3)).substring(1);
    return new UrlBase(kind, user, List.of("remote.php", "dav", segments.get(2), user));
  }

  /** A WebDAV call served under {@code base}, for the user it names only. */
  private static Call under(UrlBase base, Call call) {
    return new Call() {
      @Override
      public boolean anonymous() {
        return call.anonymous();
      }

      @Override
      public void serve() throws Exception {
        Caller caller = Caller.current();
        if (caller != null && base.user() != null && !base.user().equals(caller.name())) {
          call.refuse(new RequestAuthenticator.Verdict(null, 403, 0,
              "this URL is for the user " + base.user() + ", and you are signed in as " + caller.name()));
          return;
        }
        UrlBase.serve(base, () -> {
          call.serve();
          return null;
        });
      }

      @Override
      public void refuse(RequestAuthenticator.Verdict verdict) {
        call.refuse(verdict);
      }

      @Override
      public void abandoned() {
        call.abandoned();
      }
    };
  }
}
