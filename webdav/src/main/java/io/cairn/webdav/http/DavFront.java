package io.cairn.webdav.http;

import io.cairn.webdav.method.DavMethod;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebDAV as a front door of the server's edge: {@link #accept} takes a request on its event loop
 * and attaches the body stream (paused: a refused body is never read) and the response adapter;
 * the edge then authenticates it and calls {@link Call#serve} on a virtual thread, as the caller
 * ({@link io.cairn.files.Caller#current()}), which runs {@link HttpManager#process}. {@code Expect:
 * 100-continue} is answered by the body stream when the handler first reads the body, and a
 * connection whose body was left unread closes after the response (see {@link RequestBody}); the
 * Vert.x server must not answer {@code Expect} itself.
 *
 * <p>The edge, not this class, authenticates, picks the thread, writes the access line and
 * records the request metrics: once, for every front.
 */
public final class DavFront {
  private static final Logger LOG = LoggerFactory.getLogger(DavFront.class);

  private final HttpManager manager;
  private final AtomicInteger active;
  private final AtomicLong completed;

  /**
   * @param active counts requests accepted and not yet answered (their response has not ended)
   * @param completed counts requests whose processing has ended
   */
  public DavFront(HttpManager manager, AtomicInteger active, AtomicLong completed) {
    this.manager = manager;
    this.active = active;
    this.completed = completed;
  }

  /**
   * Takes a request; on its event loop.
   *
   * @param remote the client's address as the edge resolved it (the peer, or the client a trusted
   *     proxy names)
   */
  public Call accept(HttpServerRequest request, String remote) {
    Context context = Vertx.currentContext();
    Request.Method method = method(request.method().name());
    RequestBody body = new RequestBody(request, context);
    VertxMiltonResponse response = new VertxMiltonResponse(request, context);
    active.incrementAndGet();
    return new Call(new VertxMiltonRequest(request, method, body, remote), response, body);
  }

  /** One accepted request, served or refused exactly once. */
  public final class Call {
    private final VertxMiltonRequest request;
    private final VertxMiltonResponse response;
    private final RequestBody body;

    private Call(VertxMiltonRequest request, VertxMiltonResponse response, RequestBody body) {
      this.request = request;
      this.response = response;
      this.body = body;
    }

    /** OPTIONS, and a method WebDAV does not know (501), are answered without a caller. */
    public boolean anonymous() {
      return request.getMethod() == null || request.getMethod() == Request.Method.OPTIONS;
    }

    /** Processes the request as the current caller; on a virtual thread. */
    public void serve() {
      finish(() -> {
        if (request.getMethod() == null) {
          response.setNonStandardHeader("Allow", DavMethod.allowAll());
          response.send(501, "text/plain; charset=utf-8", "Not Implemented\n");
        } else {
          manager.process(request, response);
        }
      });
    }

    /**
     * Answers a request the edge refused, with {@code status} and {@code headers}
     * (WWW-Authenticate, Retry-After); its body is never read. On a virtual thread.
     */
    public void refuse(int status, Map<String, String> headers, String text) {
      finish(() -> {
        headers.forEach(response::setNonStandardHeader);
        response.send(status, "text/plain; charset=utf-8", text + "\n");
      });
    }

    /** The client went away: fails a body read in progress and stops the response. Any thread. */
    public void connectionClosed() {
      body.fail(new IOException("the client closed the connection"));
      response.connectionClosed();
    }

    /** Body bytes read so far. */
    public long received() {
      return request.bodyBytesRead();
    }

    /** Body bytes written so far, file regions included. */
    public long sent() {
      return response.bytesWritten();
    }

    /** Nothing can serve the request (the server is stopping): it ends here. */
    public void abandoned() {
      active.decrementAndGet();
    }

    private interface Work {
      void run() throws Exception;
    }

    private void finish(Work work) {
      try {
        work.run();
      } catch (Throwable t) {
        // ErrorFilter maps every failure inside milton; this only catches failures around it.
        LOG.error("request failed outside its handler: {} {}", request.getMethod(), request.rawPath(), t);
        internalError();
      } finally {
        body.discard();
        boolean reusable = body.connectionReusable();
        if (!reusable) {
          response.setNonStandardHeader("Connection", "close");
        }
        response.finish(
            body::resumeOnLoopToDrain,
            () -> {
              if (!reusable) {
                body.closeAfterLinger();
              }
              active.decrementAndGet();
              completed.incrementAndGet();
            });
      }
    }

    private void internalError() {
      if (response.isCommitted()) {
        response.abort();
        return;
      }
      response.resetForError();
      try {
        response.send(500, "text/plain; charset=utf-8", "Internal Server Error\n");
      } catch (IOException e) {
        response.abort();
      }
    }
  }

  private static Request.Method method(String name) {
    for (Request.Method m : Request.Method.values()) {
      if (m.code.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
