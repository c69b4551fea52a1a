package io.cairn.webdav.lock;

import io.milton.http.Handler;
import io.milton.http.HttpExtension;
import io.milton.http.http11.CustomPostHandler;
import java.util.List;
import java.util.Set;

/** The LOCK and UNLOCK handlers, as the milton extension that brings them. */
final class LockExtension implements HttpExtension {
  private final Set<Handler> handlers;

  LockExtension(LockContext context) {
    this.handlers = Set.of(new LockHandler(context), new UnlockHandler(context));
  }

  @Override
  public Set<Handler> getHandlers() {
    return handlers;
  }

  @Override
  public List<CustomPostHandler> getCustomPostHandlers() {
    return List.of();
  }
}
