package io.cairn.server.web;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.Exchange;
import io.cairn.server.http.Front;
import io.cairn.storage.Entry;
import io.netty.util.AsciiString;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * WebDAV with the web interface's page in front of it. A request gets the page only when it is a
 * {@code GET} whose {@code Accept} header names {@code text/html} (a browser navigating) of a
 * folder; a browser that is not logged in is sent to the login page (303) instead of being
 * challenged. Everything else (PROPFIND, a GET of a file, a GET without {@code Accept: text/html}
 * as davfs2, rclone and curl send) is WebDAV's, unchanged: those clients never get a page, and a
 * missing credential is still 401 with the Basic challenge for them.
 */
public final class BrowserPages implements Front {
  private static final AsciiString VARY = AsciiString.cached("Vary");
  private static final AsciiString ACCEPT = AsciiString.cached("Accept");
  private final Front webdav;
  private final FileService files;
  private final WebAssets assets;

  public BrowserPages(Front webdav, FileService files, WebAssets assets) {
    this.webdav = webdav;
    this.files = files;
    this.assets = assets;
  }

  /** Whether a request is a browser navigating: a GET that accepts HTML. */
  public static boolean wantsPage(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      return false;
    }
    for (String accept : req.headers().getAll("Accept")) {
      if (accept.toLowerCase(Locale.ROOT).contains("text/html")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Call accept(HttpServerRequest req, Exchange exchange) {
    Call dav = webdav.accept(req, exchange);
    if (req.method() == HttpMethod.GET) {
      // A folder's GET answers the page or WebDAV's listing by Accept: no cache may mix them up.
      req.response().putHeader(VARY, ACCEPT);
    }
    if (!wantsPage(req)) {
      return dav;
    }
    return new Call() {
      @Override
      public void serve() throws Exception {
        String viewPath = viewPath(req.path());
        if (viewPath != null && isFolder(Caller.current(), viewPath)) {
          dav.abandoned(); // WebDAV never sees this request
          assets.send(req.response(), "app.html");
        } else {
          dav.serve();
        }
      }

      @Override
      public void refuse(RequestAuthenticator.Verdict verdict) {
        if (verdict.status() != 401) {
          dav.refuse(verdict);
          return;
        }
        dav.abandoned();
        String next = URLEncoder.encode(req.path(), StandardCharsets.UTF_8);
        WebAssets.secure(req.response());
        req.response().setStatusCode(303).putHeader("Location", WebFront.LOGIN_PAGE + "?next=" + next)
            .putHeader("Cache-Control", "no-store").end();
      }

      @Override
      public void abandoned() {
        dav.abandoned();
      }
    };
  }

  private boolean isFolder(Caller caller, String viewPath) {
    FilePath p = caller.locate(viewPath);
    if (p.isRoot()) {
      return caller.canRead(p.ns());
    }
    Entry e = files.entry(caller, p);
    return e != null && e.isDirectory();
  }

  /** The view path a raw request path names; null when it names none (WebDAV answers it). */
  static String viewPath(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return TreePaths.fromClient(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | CairnException e) {
      return null;
    }
  }
}
