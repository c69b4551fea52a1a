package io.cairn.webdav.http;

import io.cairn.webdav.UrlBase;

import io.milton.http.AbstractRequest;
import io.milton.http.Auth;
import io.milton.http.Cookie;
import io.milton.http.FileItem;
import io.milton.http.Request;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * milton's request over a Vert.x {@link HttpServerRequest}. Everything milton may ask from the
 * virtual thread is copied on the event loop at construction; the body is the back-pressured
 * {@link RequestBody}. No forms, files or cookies are parsed: WebDAV needs none.
 */
public final class VertxMiltonRequest extends AbstractRequest {
  private final Request.Method method;
  private final String rawPath;
  private final String absoluteUrl;
  private final String remoteAddress;
  private final Map<String, String> headers;
  private final RequestBody body;
  private Auth auth;

  /**
   * Must be called on the request's event loop.
   *
   * @param remote who the request is from: the peer, or the client a trusted proxy names, as the
   *     edge resolved it
   */
  VertxMiltonRequest(HttpServerRequest request, Request.Method method, RequestBody body, String remote) {
    this.method = method;
    this.body = body;
    this.rawPath = request.path();
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.headers().names()) {
      h.put(name, String.join(", ", request.headers().getAll(name)));
    }
    this.headers = Collections.unmodifiableMap(h);
    String host = h.getOrDefault("Host", "localhost");
    String uri = request.uri();
    this.absoluteUrl = uri.startsWith("/") ? request.scheme() + "://" + host + uri : uri;
    this.remoteAddress = remote;
  }

  /**
   * The path of the request URI as sent: not decoded, without query; below the {@link UrlBase}
   * the request is served under, if any.
   */
  public String rawPath() {
    UrlBase base = UrlBase.current();
    String below = base == null ? null : base.below(rawPath);
    return below == null ? rawPath : below;
  }

  /** A request header by name, case-insensitively; null when absent. */
  public String header(String name) {
    return headers.get(name);
  }

  /** Whether the request carries a body (a Content-Length above zero or a chunked one). */
  public boolean hasBody() {
    String length = headers.get("Content-Length");
    if (length != null) {
      return !length.trim().equals("0");
    }
    return headers.containsKey("Transfer-Encoding");
  }

  /** Bytes of the body read so far. */
  public long bodyBytesRead() {
    return body.consumed();
  }

  @Override
  public String getRequestHeader(Request.Header header) {
    return headers.get(header.code);
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public String getFromAddress() {
    return remoteAddress;
  }

  @Override
  public Request.Method getMethod() {
    return method;
  }

  @Override
  public Auth getAuthorization() {
    return auth;
  }

  @Override
  public void setAuthorization(Auth auth) {
    this.auth = auth;
  }

  @Override
  public String getAbsoluteUrl() {
    return absoluteUrl;
  }

  @Override
  public InputStream getInputStream() {
    return body;
  }

  @Override
  public void parseRequestParameters(Map<String, String> params, Map<String, FileItem> files) {
    // WebDAV carries no form parameters or uploads.
  }

  @Override
  public Cookie getCookie(String name) {
    return null;
  }

  @Override
  public List<Cookie> getCookies() {
    return List.of();
  }

  /** The client's address: the TCP peer, or the client a trusted proxy names (resolved by the edge). */
  @Override
  public String getRemoteAddr() {
    return remoteAddress;
  }
}
