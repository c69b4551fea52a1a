package io.cairn.webdav.lock;

import io.milton.http.AbstractResponse;
import io.milton.http.Cookie;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** TEST ONLY: a milton response held in memory. */
final class TestResponse extends AbstractResponse {
  private Status status = Status.SC_OK;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private boolean closed;

  int code() {
    return status.code;
  }

  String body() {
    return body.toString(StandardCharsets.UTF_8);
  }

  byte[] bytes() {
    return body.toByteArray();
  }

  String header(String name) {
    return headers.get(name);
  }

  boolean closed() {
    return closed;
  }

  @Override
  public Status getStatus() {
    return status;
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public void setAuthenticateHeader(List<String> challenges) {
    if (!challenges.isEmpty()) {
      headers.put("WWW-Authenticate", challenges.get(0));
    }
  }

  @Override
  public void setStatus(Status status) {
    this.status = status;
  }

  @Override
  public void setNonStandardHeader(String name, String value) {
    headers.put(name, value);
  }

  @Override
  public String getNonStandardHeader(String name) {
    return headers.get(name);
  }

  @Override
  public OutputStream getOutputStream() {
    return body;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void sendError(Status status, String message) {
    this.status = status;
    if (message != null) {
      body.writeBytes(message.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public Cookie setCookie(Cookie cookie) {
    return cookie;
  }

  @Override
  public Cookie setCookie(String name, String value) {
    return null;
  }
}
