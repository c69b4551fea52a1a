package io.cairn.webdav.lock;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.resource.Resource;

/**
 * UNLOCK (RFC 4918 §9.11): removes the lock named by the {@code Lock-Token} header, which must
 * cover the Request-URI. 204 on success; 409 with {@code DAV:lock-token-matches-request-uri} when
 * no such lock exists; 400 without a well-formed header; 403 outside the namespaces. Refusals are
 * thrown for {@link io.cairn.webdav.method.ErrorFilter} to answer.
 */
final class UnlockHandler implements Handler {
  private final LockContext context;

  UnlockHandler(LockContext context) {
    this.context = context;
  }

  @Override
  public String[] getMethods() {
    return new String[] {Request.Method.UNLOCK.code};
  }

  @Override
  public boolean isCompatible(Resource resource) {
    return true;
  }

  @Override
  public void process(HttpManager manager, Request request, Response response) {
    LockTarget target = context.targets.locate(request, request.getAbsoluteUrl());
    if (target == null) {
      throw DavException.forbidden("no lock outside the namespaces");
    }
    String token = token(request.getLockTokenHeader());
    if (token == null) {
      throw DavException.badRequest("UNLOCK needs a Lock-Token header: <token>");
    }
    try {
      Await.result(context.locks.unlock(target.ns(), target.path(), token));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.CONFLICT) {
        throw new DavException(409, "no such lock on this resource", "lock-token-matches-request-uri");
      }
      throw e;
    }
    response.setStatus(Response.Status.SC_NO_CONTENT);
    response.setContentLengthHeader(0L);
  }

  /** The token inside {@code Lock-Token: <token>} (RFC 4918 §10.5); null when malformed. */
  static String token(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 3 || h.charAt(0) != '<' || h.charAt(h.length() - 1) != '>') {
      return null;
    }
    String token = h.substring(1, h.length() - 1).strip();
    return token.isEmpty() || token.indexOf('>') >= 0 ? null : token;
  }
}
