package io.cairn.webdav.method;

import io.cairn.core.CairnException;
import io.cairn.webdav.DavException;
import io.cairn.webdav.StatusTable;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
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
 * The first filter of milton's chain and the one place where failures become responses, for the
 * handlers and every filter after it (the class 2 If-header check included). {@link DavException}s
 * answer their own status; {@link CairnException}s go through {@link StatusTable}; milton's
 * exceptions map to their statuses; a failed client connection ends the exchange quietly; anything
 * else is a 500, logged here once with its cause. No client ever sees a stack trace. A failure
 * after the response's headers went out can only break the connection.
 */
public final class ErrorFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorFilter.class);

  /** A checked milton exception carried through {@link FilterChain}, which declares none. */
  static final class MiltonFailure extends RuntimeException {
    MiltonFailure(MiltonException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    VertxMiltonResponse r = (VertxMiltonResponse) response;
    String method = request.getMethod().code;
    try {
      chain.process(request, response);
    } catch (DavException e) {
      fail(r, e.status(), e.getMessage(), e);
    } catch (CairnException e) {
      int status = StatusTable.status(e.kind(), method);
      boolean serverFault = e.kind() == CairnException.Kind.INTERNAL || e.kind() == CairnException.Kind.TRANSIENT;
      if (e.kind() == CairnException.Kind.INTERNAL) {
        LOG.error("{} {} failed: {}", method, request.getAbsolutePath(), e.getMessage(), e);
      } else if (serverFault || e.kind() == CairnException.Kind.DAMAGED) {
        LOG.warn("{} {} failed: {}", method, request.getAbsolutePath(), e.getMessage());
      }
      // Messages name paths, conditions and limits (a full quota: 507), which helps clients; a
      // server fault's stays in the log.
      fail(r, status, serverFault ? StatusTable.reason(status) : e.getMessage(), null);
    } catch (MiltonFailure e) {
      int status = miltonStatus((MiltonException) e.getCause());
      fail(r, status, StatusTable.reason(status), null);
    } catch (UncheckedIOException e) {
      clientGone(r, request, e.getCause());
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

  /**
   * Answers an error unless the response is already on its way, which is then broken off. With a
   * DavException naming a precondition the body is a {@code DAV:error} document (RFC 4918 §16),
   * otherwise the short reason as text.
   */
  static void fail(VertxMiltonResponse r, int status, String reason, DavException e) {
    if (r.isCommitted()) {
      r.abort();
      return;
    }
    String allow = r.getNonStandardHeader("Allow");
    r.resetForError();
    if (allow != null && status == 405) {
      r.setNonStandardHeader("Allow", allow);
    }
    if (status == 503) { // a backend unreachable, or a commit gc raced (TRANSIENT): worth a retry soon
      r.setNonStandardHeader("Retry-After", StatusTable.RETRY_AFTER_SECONDS);
    }
    try {
      if (e != null && e.precondition() != null) {
        r.send(
            status,
            "application/xml; charset=utf-8",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\"><D:"
                + e.precondition()
                + (e.preconditionContent() == null ? "/>" : ">" + e.preconditionContent() + "</D:" + e.precondition() + ">")
                + "</D:error>\n");
      } else {
        String text = reason == null ? StatusTable.reason(status) : reason;
        r.send(status, "text/plain; charset=utf-8", text.replaceAll("[\\r\\n]", " ") + "\n");
      }
    } catch (IOException io) {
      r.abort();
    }
  }
}
