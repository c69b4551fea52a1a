package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.PathWrite;
import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.cairn.webdav.method.DavMethod;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before every handler and keeps the lock rules of RFC 4918: the If header evaluates true or
 * the request fails with 412 (§10.4); a state-changing request carries the token of every lock on
 * what it changes or fails with 423 and {@code DAV:lock-token-submitted} (§7, §16); after a
 * successful DELETE or MOVE the locks rooted in the removed tree go (§9.6.1, §9.9.1). Refusals and
 * failures are thrown for {@link io.cairn.webdav.method.ErrorFilter}, which runs before it, to
 * answer.
 *
 * <p>What each method changes is {@link DavMethod#targetLock()} for the Request-URI and, for the
 * methods that {@link DavMethod#writesDestination() write one}, a create or (with {@code
 * Overwrite: T}) a replace of the Destination. LOCK and UNLOCK check their own tokens in their
 * handlers. Requests for URLs the resource layer does not map pass through untouched, except for
 * the If header, which holds for every method.
 */
final class LockFilter implements Filter {
  private static final Logger log = LoggerFactory.getLogger(LockFilter.class);

  private final LockContext context;

  LockFilter(LockContext context) {
    this.context = context;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    LockTarget target = context.targets.locate(request, request.getAbsoluteUrl());
    check(request, target);
    chain.process(request, response);
    dropRemovedLocks(request, response, target);
  }

  /** Throws a 400, 412 or 423 DavException when the request must not run. */
  private void check(Request request, LockTarget target) {
    IfHeader header;
    try {
      header = IfHeader.parse(request.getIfHeader());
    } catch (IfHeader.Malformed e) {
      throw DavException.badRequest("malformed " + e.getMessage());
    }
    if (header != null && !context.holds(header, request, target)) {
      throw new DavException(412, "the If header is false");
    }
    Set<String> tokens = header == null ? Set.of() : header.stateTokens();
    Map<String, List<PathWrite>> writes = writes(request, target, false);
    if (writes.isEmpty()) {
      return;
    }
    List<ActiveLock> blocking = context.blocking(writes, tokens);
    if (!blocking.isEmpty()
        && DavMethod.named(request.getMethod().code).targetLock() == DavMethod.TargetLock.CREATE_OR_MODIFY) {
      // A PUT was first taken as a create, whose locks include an overwrite's: the entry lookup
      // that tells them apart is needed only when some lock is in the way.
      blocking = context.blocking(writes(request, target, true), tokens);
    }
    if (!blocking.isEmpty()) {
      throw context.tokenSubmitted(request, blocking);
    }
  }

  /**
   * What the request would change, by namespace; empty for reads and unmapped URLs. A PUT is a
   * create unless {@code lookUp} asks whether its target exists (then an overwrite is a modify).
   */
  private Map<String, List<PathWrite>> writes(Request request, LockTarget target, boolean lookUp) {
    Map<String, List<PathWrite>> writes = new LinkedHashMap<>();
    DavMethod method = DavMethod.named(request.getMethod().code);
    if (target == null || method == null) {
      return writes;
    }
    String path = target.path();
    switch (method.targetLock()) {
      case CREATE_OR_MODIFY -> add(
          writes,
          target,
          !lookUp || context.targets.state(target) == null ? PathWrite.create(path) : PathWrite.modify(path));
      case MODIFY -> add(writes, target, PathWrite.modify(path));
      case CREATE -> add(writes, target, PathWrite.create(path));
      case REMOVE -> add(writes, target, PathWrite.remove(path));
      case NONE, IN_HANDLER -> {}
    }
    if (method.writesDestination()) {
      destination(writes, request);
    }
    return writes;
  }

  private void destination(Map<String, List<PathWrite>> writes, Request request) {
    String header = request.getDestinationHeader();
    LockTarget dest = header == null ? null : context.targets.locate(request, header);
    if (dest == null) {
      return; // the COPY/MOVE handler answers a missing or foreign Destination itself
    }
    Boolean overwrite = request.getOverwriteHeader();
    if (context.targets.state(dest) == null) {
      add(writes, dest, PathWrite.create(dest.path()));
    } else if (overwrite == null || overwrite) {
      add(writes, dest, PathWrite.replace(dest.path()));
    }
    // An existing destination with Overwrite: F is left alone: the COPY/MOVE handler answers 412.
  }

  private static void add(Map<String, List<PathWrite>> writes, LockTarget t, PathWrite w) {
    writes.computeIfAbsent(t.ns(), k -> new ArrayList<>()).add(w);
  }

  private void dropRemovedLocks(Request request, Response response, LockTarget target) {
    DavMethod method = DavMethod.named(request.getMethod().code);
    if (target == null || method == null || method.targetLock() != DavMethod.TargetLock.REMOVE) {
      return;
    }
    Response.Status status = response.getStatus();
    boolean whole =
        status == Response.Status.SC_OK
            || status == Response.Status.SC_CREATED
            || status == Response.Status.SC_NO_CONTENT;
    if (!whole) {
      return; // a 207 removed only part of the tree; the rest keeps its locks until they expire
    }
    try {
      Await.result(context.locks.removeTree(target.ns(), target.path()));
    } catch (CairnException e) {
      // The response is sent; the stale locks expire by their timeout.
      log.warn("locks under {}:{} stay until they expire: {}", target.ns(), target.path(), e.toString());
    }
  }
}
