package io.cairn.webdav.method;

import io.cairn.storage.StorageException;
import io.cairn.webdav.DavException;
import io.cairn.webdav.StatusTable;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.http.exceptions.BadRequestException;
import io.milton.http.exceptions.ConflictException;
import io.milton.http.exceptions.LockedException;
import io.milton.http.exceptions.MiltonException;
import io.milton.http.exceptions.NotAuthorizedException;
import io.milton.http.exceptions.NotFoundException;
import io.milton.http.exceptions.PreConditionFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last filter of milton's chain (in place of milton's StandardFilter): finds the method's
 * handler, runs it, and is the one place where failures become responses. {@link DavException}s
 * answer their own status; {@link StorageException}s go through {@link StatusTable}; milton's
 * exceptions map to their statuses; a failed client connection ends the exchange quietly; anything
 * else is a 500, logged here once with its cause. No client ever sees a stack trace. A failure after
 * the response's headers went out can only break the connection.
 */
public final class DispatchFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchFilter.class);

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    HttpManager manager = chain.getHttpManager();
    VertxMiltonResponse r = (VertxMiltonResponse) response;
    String method = request.getMethod().code;
    try {
      Handler handler = manager.getMethodHandler(request.getMethod());
      if (handler == null) {
        r.setNonStandardHeader("Allow", OptionsHandler.ALLOW_ALL);
        fail(r, 405, "method not allowed here", null);
      } else {
        handler.process(manager, request, response);
      }
    } catch (DavException e) {
      fail(r, e.status(), e.getMessage(), e.precondition());
    } catch (StorageException e) {
      int status = StatusTable.status(e.kind(), method);
      if (status >= 500) {
        LOG.error("{} {} failed: {}", method, request.getAbsolutePath(), e.getMessage(), e);
      }
      fail(r, status, shortReason(e, status), null);
    } catch (UncheckedIOException e) {
      clientGone(r, request, e.getCause());
    } catch (MiltonException e) {
      fail(r, miltonStatus(e), StatusTable.reason(miltonStatus(e)), null);
    } catch (RuntimeException | Error e) {
      if (e.getCause() instanceof IOException io) {
        clientGone(r, request, io);
        return;
      }
      LOG.error("{} {} failed", method, request.getAbsolutePath(), e);
      fail(r, 500, "internal error", null);
    }
  }

  private static void clientGone(VertxMiltonResponse r, Request request, IOException e) {
    LOG.debug("{} {}: connection failed: {}", request.getMethod(), request.getAbsolutePath(), e.toString());
    if (!r.isCommitted()) {
      // Only the access log sees this status (nginx's "client closed request").
      r.status(499);
    }
    r.abort();
  }

  private static String shortReason(StorageException e, int status) {
    // Storage messages name paths and conditions, which helps clients; internal ones stay inside.
    return status >= 500 ? StatusTable.reason(status) : e.getMessage();
  }

  private static int miltonStatus(MiltonException e) {
    if (e instanceof BadRequestException) {
      return 400;
    } else if (e instanceof NotAuthorizedException na) {
      return na.getRequiredStatusCode() == 403 ? 403 : 401;
    } else if (e instanceof ConflictException) {
      return 409;
    } else if (e instanceof NotFoundException) {
      return 404;
    } else if (e instanceof LockedException) {
      return 423;
    } else if (e instanceof PreConditionFailedException) {
      return 412;
    }
    return 500;
  }

  /** Answers an error unless the response is already on its way, which is then broken off. */
  static void fail(VertxMiltonResponse r, int status, String reason, String precondition) {
    if (r.isCommitted()) {
      abort(r);
      return;
    }
    r.resetForError();
    try {
      if (precondition != null) {
        r.send(
            status,
            "application/xml; charset=utf-8",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\"><D:"
                + precondition
                + "/></D:error>\n");
      } else {
        String text = reason == null ? StatusTable.reason(status) : reason;
        r.send(status, "text/plain; charset=utf-8", text.replaceAll("[\\r\\n]", " ") + "\n");
      }
    } catch (IOException e) {
      abort(r);
    }
  }

  private static void abort(VertxMiltonResponse r) {
    r.abort();
  }
}
