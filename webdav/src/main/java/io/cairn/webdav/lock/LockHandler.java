package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockDepth;
import io.cairn.cluster.lock.LockInfo;
import io.cairn.cluster.lock.PathWrite;
import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.cairn.webdav.xml.XmlBody;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.resource.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LOCK (RFC 4918 §9.10): creates a lock from a {@code DAV:lockinfo} body, or refreshes the locks
 * named in the If header when the body is empty. A lock on an unmapped URL creates an empty file
 * and answers 201 (§7.3). The answer carries the resource's {@code DAV:lockdiscovery} and, for a
 * new lock, the {@code Lock-Token} header. Refusals and failures are thrown for {@link
 * io.cairn.webdav.method.ErrorFilter} to answer: 400 for a malformed body, Depth or If header; 403
 * for a URL outside the namespaces; 412 with {@code DAV:lock-token-matches-request-uri} for a
 * refresh naming no lock here; 423 with {@code DAV:lock-token-submitted} or {@code
 * DAV:no-conflicting-lock} (RFC 4918 §16); a storage failure by its kind.
 */
final class LockHandler implements Handler {
  private final LockContext context;

  LockHandler(LockContext context) {
    this.context = context;
  }

  @Override
  public String[] getMethods() {
    return new String[] {Request.Method.LOCK.code};
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
    LockDepth depth;
    IfHeader header;
    try {
      depth = depth(request.getRequestHeader(Request.Header.DEPTH));
      header = IfHeader.parse(request.getIfHeader());
    } catch (IfHeader.Malformed | LockInfoBody.Invalid e) {
      throw DavException.badRequest(e.getMessage());
    }
    // Every refusal above comes before the body is read.
    byte[] body = body(request);
    LockInfoBody info;
    try {
      info = isBlank(body) ? null : LockInfoBody.parse(body);
    } catch (LockInfoBody.Invalid e) {
      throw DavException.badRequest(e.getMessage());
    }
    Duration timeout = TimeoutHeader.granted(request.getTimeoutHeader(), context.maxTimeout);
    Set<String> tokens = header == null ? Set.of() : header.stateTokens();
    if (info == null) {
      refresh(request, response, target, tokens, timeout);
    } else {
      create(request, response, target, info, depth, tokens, timeout);
    }
  }

  private void refresh(
      Request request,
      Response response,
      LockTarget target,
      Set<String> tokens,
      Duration timeout) {
    List<ActiveLock> refreshed = new ArrayList<>();
    for (ActiveLock lock : Await.result(context.locks.locks(target.ns(), target.path()))) {
      if (tokens.contains(lock.token())) {
        try {
          refreshed.add(
              Await.result(
                  context.locks.refresh(target.ns(), target.path(), lock.token(), timeout)));
        } catch (CairnException e) {
          if (e.kind() != CairnException.Kind.PRECONDITION_FAILED) {
            throw e;
          }
          // Expired or unlocked since the lookup: as if never submitted.
        }
      }
    }
    if (refreshed.isEmpty()) {
      // No submitted token names a lock on this resource (RFC 4918 §9.10.2; an empty If header
      // cannot refresh anything).
      throw new DavException(412, "no submitted token names a lock here", "lock-token-matches-request-uri");
    }
    answer(response, Response.Status.SC_OK, discovery(request, refreshed));
  }

  private void create(
      Request request,
      Response response,
      LockTarget target,
      LockInfoBody info,
      LockDepth depth,
      Set<String> tokens,
      Duration timeout) {
    boolean unmapped = context.targets.state(target) == null;
    if (unmapped) {
      // The new empty file is a new member of its parent: a lock there needs its token.
      List<ActiveLock> blocking =
          context.blocking(Map.of(target.ns(), List.of(PathWrite.create(target.path()))), tokens);
      if (!blocking.isEmpty()) {
        throw context.tokenSubmitted(request, blocking);
      }
    }
    ActiveLock lock;
    try {
      lock =
          Await.result(
              context.locks.create(
                  target.ns(),
                  new LockInfo(target.path(), info.scope(), depth, info.owner(), timeout)));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.LOCKED) {
        throw e;
      }
      List<ActiveLock> holders = Await.result(context.locks.locks(target.ns(), target.path()));
      throw new DavException(
          423, "a conflicting lock is held", "no-conflicting-lock", LockXml.hrefs(context.rootHrefs(request, holders)));
    }
    boolean created = false;
    if (unmapped) {
      try {
        context.targets.createEmptyFile(request, target);
        created = true;
      } catch (CairnException e) {
        if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
          // No file, no lock: undo the lock before reporting why the file could not be made.
          Await.result(
              context.locks.unlock(target.ns(), target.path(), lock.token()).otherwiseEmpty());
          throw e;
        }
      }
    }
    List<ActiveLock> all =
        new ArrayList<>(Await.result(context.locks.locks(target.ns(), target.path())));
    if (all.stream().noneMatch(l -> l.token().equals(lock.token()))) {
      all.add(lock);
    }
    response.setLockTokenHeader("<" + lock.token() + ">");
    answer(response, created ? Response.Status.SC_CREATED : Response.Status.SC_OK, discovery(request, all));
  }

  /** A successful LOCK's answer: the status and the lockdiscovery document (RFC 4918 §9.10.1). */
  private static void answer(Response response, Response.Status status, String xml) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentTypeHeader("application/xml; charset=utf-8");
    response.setContentLengthHeader((long) body.length);
    try {
      OutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String discovery(Request request, List<ActiveLock> locks) {
    List<String> roots = locks.stream().map(l -> context.rootHref(request, l)).toList();
    return LockXml.lockDiscoveryDocument(locks, roots, context.clock.instant());
  }

  /** Depth 0 or infinity, infinity when absent (RFC 4918 §9.10.3); Depth 1 is refused. */
  private static LockDepth depth(String header) {
    if (header == null || header.strip().equalsIgnoreCase("infinity")) {
      return LockDepth.INFINITY;
    }
    if (header.strip().equals("0")) {
      return LockDepth.ZERO;
    }
    throw new LockInfoBody.Invalid("LOCK Depth must be 0 or infinity, not " + header);
  }

  /** The body, up to the limit every XML body has: over it 413, through the error mapping. */
  private byte[] body(Request request) {
    try (InputStream in = request.getInputStream()) {
      return XmlBody.read(in, request.getRequestHeader(Request.Header.CONTENT_LENGTH), context.maxBodyBytes);
    } catch (IOException e) {
      throw new CairnException(CairnException.Kind.TRANSIENT, "LOCK body unreadable", e);
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
