package io.cairn.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node has opened, in order, closed in reverse: the HTTP server before the front doors,
 * those before the stores, the stores before Vert.x. One list serves a failed start and the
 * graceful shutdown alike, so the two cannot disagree on the order. A step that fails to close is
 * logged and the rest still close.
 */
final class Resources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  private record Step(String what, Runnable close) {}

  private final Deque<Step> opened = new ArrayDeque<>();

  /** Registers {@code resource}, closed by {@code close}; returns it. */
  synchronized <T> T add(String what, T resource, Consumer<? super T> close) {
    opened.push(new Step(what, () -> close.accept(resource)));
    return resource;
  }

  /** Closes everything registered, the last first; once. */
  @Override
  public void close() {
    while (true) {
      Step step;
      synchronized (this) {
        step = opened.poll();
      }
      if (step == null) {
        return;
      }
      try {
        step.close().run();
      } catch (RuntimeException e) {
        LOG.warn("closing the {} failed: {}", step.what(), e.toString());
      }
    }
  }
}
