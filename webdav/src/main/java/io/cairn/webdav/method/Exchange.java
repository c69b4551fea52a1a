package io.cairn.webdav.method;

import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Caller;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.cairn.webdav.xml.XmlBody;
import java.io.IOException;

/** One request being processed: the adapters, the site, and the parsing every handler needs. */
final class Exchange {
  /** Depth: infinity, and an absent Depth header (RFC 4918 §10.2). */
  static final int INFINITY = Integer.MAX_VALUE;

  final VertxMiltonRequest request;
  final VertxMiltonResponse response;
  final DavSite site;
  private FilePath target;

  Exchange(VertxMiltonRequest request, VertxMiltonResponse response, DavSite site) {
    this.request = request;
    this.response = response;
    this.site = site;
  }

  /** The request's target; DavException 400/414 when its path must not reach storage. */
  FilePath target() {
    if (target == null) {
      target = site.mount().resolve(request.rawPath());
    }
    return target;
  }

  String header(String name) {
    return request.header(name);
  }

  /** The user the change is recorded for; null without authentication. */
  String author() {
    Caller user = Caller.current();
    return user == null ? null : user.name();
  }

  /**
   * The Depth header: 0, 1, or {@link #INFINITY} (also when absent).
   *
   * @throws DavException 400 for any other value
   */
  int depth() {
    String d = header("Depth");
    if (d == null) {
      return INFINITY;
    }
    return switch (d.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "0" -> 0;
      case "1" -> 1;
      case "infinity" -> INFINITY;
      default -> throw DavException.badRequest("Depth must be 0, 1 or infinity");
    };
  }

  /**
   * Reads a small request body (XML) whole, up to the site's limit.
   *
   * @throws DavException 413 when it exceeds the site's limit
   */
  byte[] readSmallBody() throws IOException {
    return XmlBody.read(request.getInputStream(), header("Content-Length"), site.maxXmlBodyBytes());
  }

  /** Answers with an empty body. */
  void status(int code) {
    response.status(code);
  }
}
