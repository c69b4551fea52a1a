package io.cairn.webdav.http;

import io.cairn.webdav.StatusTable;
import io.milton.http.AbstractResponse;
import io.milton.http.Cookie;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * milton's response over a Vert.x {@link HttpServerResponse}, driven from a virtual thread. Status
 * and headers are staged until the first body byte (or the end) and then sent in one go on the
 * event loop. Any status code can be set ({@link #status(int)}), not only milton's enum.
 *
 * <p>Every response says {@code Server: Cairn}, {@code DAV: 1, 2} and {@code MS-Author-Via: DAV}.
 * Redirects are refused: nothing in Cairn redirects, and milton's redirect path needs a servlet.
 */
public final class VertxMiltonResponse extends AbstractResponse {
  private final HttpServerResponse response;
  private final Context context;
  private final boolean head;
  private final ResponseBody body;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final List<String> challenges = new ArrayList<>();
  private volatile int status = 200;
  private volatile boolean committed;
  private volatile boolean aborted;

  /**
   * The response to {@code request}; file ranges go with sendfile where its connection allows.
   * Must be called on the event loop of {@code request}.
   */
  VertxMiltonResponse(HttpServerRequest request, Context context) {
    this(request.response(), context, request.method(), request.connection());
  }

  private VertxMiltonResponse(
      HttpServerResponse response, Context context, HttpMethod method, HttpConnection connection) {
    this.response = response;
    this.context = context;
    this.head = method == HttpMethod.HEAD;
    this.body = new ResponseBody(this, response, context, connection);
    headers.put("Server", "Cairn");
    headers.put("DAV", "1, 2");
    headers.put("MS-Author-Via", "DAV");
  }

  /** Sets any status code. */
  public void status(int code) {
    this.status = code;
  }

  /** The status set so far (200 unless set). */
  public int statusCode() {
    return status;
  }

  /** Whether status and headers have gone to the client; after that only the body can follow. */
  public boolean isCommitted() {
    return committed;
  }

  /** Bytes of body handed to the connection. */
  public long bytesWritten() {
    return body.written();
  }

  /**
   * Clears what was staged (status, headers but the identity ones) to answer an error instead.
   * Only before {@link #isCommitted()}.
   */
  public void resetForError() {
    if (committed) {
      throw new IllegalStateException("the response is already committed");
    }
    headers.keySet().removeIf(h -> !h.equals("Server") && !h.equals("DAV") && !h.equals("MS-Author-Via"));
    contentLength = null;
    body.dropGathered();
  }

  /** Answers a complete response with a small body of {@code contentType}. */
  public void send(int code, String contentType, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    status(code);
    setNonStandardHeader("Content-Type", contentType);
    setContentLengthHeader((long) bytes.length);
    if (!head) {
      body.write(bytes);
    }
  }

  @Override
  public Status getStatus() {
    return Status.fromCode(status);
  }

  @Override
  public void setStatus(Status status) {
    this.status = status.code;
  }

  @Override
  public Map<String, String> getHeaders() {
    synchronized (headers) {
      return new LinkedHashMap<>(headers);
    }
  }

  @Override
  public void setNonStandardHeader(String name, String value) {
    synchronized (headers) {
      if (value == null) {
        headers.remove(name);
      } else {
        headers.put(name, value);
      }
    }
  }

  @Override
  public String getNonStandardHeader(String name) {
    synchronized (headers) {
      return headers.get(name);
    }
  }

  @Override
  public void setAuthenticateHeader(List<String> values) {
    challenges.clear();
    challenges.addAll(values);
  }

  @Override
  public OutputStream getOutputStream() {
    return body;
  }

  /** milton closes the response when its handler is done; the end happens in {@link #finish}. */
  @Override
  public void close() {}

  @Override
  public void sendError(Status status, String message) {
    if (committed) {
      abort();
      return;
    }
    try {
      resetForError();
      send(status.code, "text/plain; charset=utf-8", StatusTable.reason(status.code) + "\n");
    } catch (IOException e) {
      abort();
    }
  }

  @Override
  public void sendRedirect(String url) {
    throw new UnsupportedOperationException("Cairn never redirects");
  }

  @Override
  public void sendPermanentRedirect(String url) {
    throw new UnsupportedOperationException("Cairn never redirects");
  }

  @Override
  public Cookie setCookie(Cookie cookie) {
    return cookie;
  }

  @Override
  public Cookie setCookie(String name, String value) {
    return null;
  }

  /** Sends status and headers unless sent already. Any thread. */
  void commit() {
    Staged staged;
    synchronized (headers) {
      if (committed) {
        return;
      }
      staged = stage();
    }
    context.runOnContext(v -> staged.apply(response));
  }

  /** Marks the response committed and takes what is to be sent; holding the headers' lock. */
  private Staged stage() {
    committed = true;
    headers.put("Date", HttpDates.now());
    AsciiString[] pairs = new AsciiString[2 * headers.size()];
    int i = 0;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      pairs[i++] = AsciiHeaders.of(h.getKey());
      pairs[i++] = AsciiHeaders.of(h.getValue());
    }
    boolean chunked = !headers.containsKey("Content-Length") && bodyAllowed(status) && !head;
    return new Staged(status, pairs, List.copyOf(challenges), chunked);
  }

  /**
   * Status and headers on their way to the event loop, the headers as name-value pairs of {@link
   * AsciiHeaders} (encoded here, on the virtual thread, rather than by the event loop).
   */
  private record Staged(int code, AsciiString[] headers, List<String> challenges, boolean chunked) {
    /** On the event loop. */
    void apply(HttpServerResponse response) {
      if (response.headWritten() || response.closed()) {
        return;
      }
      response.setStatusCode(code);
      String reason = StatusTable.reason(code);
      if (!reason.equals(HttpResponseStatus.valueOf(code).reasonPhrase())) {
        // Vert.x makes a status of its own for a custom phrase, and encodes it, per response.
        response.setStatusMessage(reason);
      }
      for (int i = 0; i < headers.length; i += 2) {
        response.putHeader(headers[i], headers[i + 1]);
      }
      challenges.forEach(a -> response.headers().add("WWW-Authenticate", a));
      if (chunked) {
        response.setChunked(true);
      }
    }
  }

  /**
   * Ends the response after processing, in one task on the event loop: status and headers if
   * nothing sent them yet, the body bytes still gathered, and the end. The caller does not wait
   * for it; {@code onLoop} runs on the event loop first (unless the response was aborted), and
   * {@code whenDone} once the end is written or the connection is gone (at once when the response
   * was aborted). A small response thus costs one hand-off to the event loop, not four, and no
   * wake-up of the virtual thread afterwards.
   */
  void finish(Runnable onLoop, Runnable whenDone) {
    Buffer last;
    try {
      last = body.takeGathered();
    } catch (IOException e) {
      last = null; // the connection is gone; the end below is a no-op then
    }
    Staged staged = null;
    synchronized (headers) {
      if (!committed) {
        if (!headers.containsKey("Content-Length") && bodyAllowed(status) && !head) {
          headers.put("Content-Length", Integer.toString(last == null ? 0 : last.length()));
        }
        staged = stage();
      }
    }
    if (aborted) {
      whenDone.run();
      return;
    }
    Staged head = staged;
    Buffer tail = last;
    context.runOnContext(
        v -> {
          try {
            onLoop.run();
            if (head != null) {
              head.apply(response);
            }
            if (response.ended() || response.closed()) {
              whenDone.run();
            } else {
              (tail == null ? response.end() : response.end(tail)).onComplete(ar -> whenDone.run());
            }
          } catch (RuntimeException e) {
            // A body that contradicts its Content-Length: never send a wrong response as complete.
            response.reset();
            whenDone.run();
          }
        });
  }

  /**
   * Breaks the connection: the only honest end for a response that fails after its headers, or
   * for a request whose client is gone. Nothing more is sent.
   */
  public void abort() {
    aborted = true;
    body.fail(new IOException("response aborted"));
    context.runOnContext(
        v -> {
          if (!response.closed()) {
            response.reset();
          }
        });
  }

  /** The client is gone. */
  void connectionClosed() {
    body.fail(new IOException("the client closed the connection"));
  }

  private static boolean bodyAllowed(int code) {
    return code >= 200 && code != 204 && code != 304;
  }
}
