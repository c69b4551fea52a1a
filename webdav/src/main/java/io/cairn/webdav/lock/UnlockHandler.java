package io.cairn.webdav.lock;

import io.cairn.storage.StorageException;
import io.cairn.webdav.Await;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.resource.Resource;
import java.util.List;

/**
 * UNLOCK (RFC 4918 §9.11): removes the lock named by the {@code Lock-Token} header, which must
 * cover the Request-URI. 204 on success; 409 with {@code DAV:lock-token-matches-request-uri} when
 * no such lock exists; 400 without a well-formed header.
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
    try {
      LockTarget target = context.targets.locate(request, request.getAbsoluteUrl());
      if (target == null) {
        LockResponses.send(response, Response.Status.SC_FORBIDDEN, null);
        return;
      }
      String token = token(request.getLockTokenHeader());
      if (token == null) {
        LockResponses.send(response, Response.Status.SC_BAD_REQUEST, null);
        return;
      }
      Await.result(context.locks.unlock(target.ns(), target.path(), token));
      LockResponses.send(response, Response.Status.SC_NO_CONTENT, null);
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.CONFLICT) {
        LockResponses.send(
            response,
            Response.Status.SC_CONFLICT,
            LockXml.error("lock-token-matches-request-uri", List.of()));
      } else {
        LockResponses.send(response, LockResponses.statusOf(e), null);
      }
    }
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
