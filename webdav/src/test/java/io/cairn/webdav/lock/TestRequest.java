package io.cairn.webdav.lock;

import io.milton.http.AbstractRequest;
import io.milton.http.Auth;
import io.milton.http.Cookie;
import io.milton.http.FileItem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** TEST ONLY: a milton request held in memory. */
final class TestRequest extends AbstractRequest {
  private final Method method;
  private final String url;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final byte[] body;
  private Auth auth;

  TestRequest(Method method, String url, Map<String, String> headers, byte[] body) {
    this.method = method;
    this.url = url;
    this.headers.putAll(headers);
    this.body = body == null ? new byte[0] : body;
  }

  TestRequest(Method method, String url, Map<String, String> headers, String body) {
    this(method, url, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String getRequestHeader(Header header) {
    return headers.get(header.code);
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public String getFromAddress() {
    return "127.0.0.1";
  }

  @Override
  public Method getMethod() {
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
    return url;
  }

  @Override
  public InputStream getInputStream() {
    return new ByteArrayInputStream(body);
  }

  @Override
  public void parseRequestParameters(Map<String, String> params, Map<String, FileItem> files) {}

  @Override
  public Cookie getCookie(String name) {
    return null;
  }

  @Override
  public List<Cookie> getCookies() {
    return List.of();
  }

  @Override
  public String getRemoteAddr() {
    return "127.0.0.1";
  }
}
