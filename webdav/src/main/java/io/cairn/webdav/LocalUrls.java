package io.cairn.webdav;

import java.util.Locale;

/**
 * Whether a URL a client sent (a Destination header, an If header tag) names this server, and its
 * raw path if so: an absolute path always does; an absolute http(s) URI does when its host and
 * port equal the request's Host header, default ports made explicit; and, when the request is
 * served under a {@link UrlBase}, when its path lies under that base. Used alike by COPY/MOVE and
 * the lock checks, so that both see the same URLs as local.
 */
public final class LocalUrls {
  private LocalUrls() {}

  /**
   * The raw path (not decoded, no query) of {@code url} when it is on this server; null when it
   * is on another server or not http(s).
   *
   * @param host the request's Host header; null accepts any authority
   * @throws DavException 400 when {@code url} is neither an absolute path nor an absolute URI
   */
  public static String rawPath(String url, String host) {
    String u = url.trim();
    String path;
    if (u.startsWith("/")) {
      path = u;
    } else {
      int schemeEnd = u.indexOf("://");
      if (schemeEnd <= 0) {
        throw DavException.badRequest("not an absolute URI or path: " + u);
      }
      String scheme = u.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      int pathStart = u.indexOf('/', schemeEnd + 3);
      String authority = u.substring(schemeEnd + 3, pathStart < 0 ? u.length() : pathStart);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      if (host != null) {
        String defaultPort = scheme.equals("https") ? "443" : "80";
        if (!normalize(authority, defaultPort).equals(normalize(host.trim(), defaultPort))) {
          return null;
        }
      }
      path = pathStart < 0 ? "/" : u.substring(pathStart);
    }
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    UrlBase base = UrlBase.current();
    return base == null ? path : base.below(path);
  }

  /** host:port, lower case, with the scheme's default port made explicit. */
  private static String normalize(String authority, String defaultPort) {
    String a = authority.toLowerCase(Locale.ROOT);
    int bracket = a.lastIndexOf(']');
    int colon = a.lastIndexOf(':');
    if (colon > bracket) {
      String port = a.substring(colon + 1);
      return a.substring(0, colon) + ":" + (port.isEmpty() ? defaultPort : port);
    }
    return a + ":" + defaultPort;
  }
}
