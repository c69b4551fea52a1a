package io.cairn.server.metrics;

import io.cairn.storage.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this node can serve: the journal answers for the namespace, and the chunk store answers a
 * lookup. Each probe is bounded by a timeout, so an unreachable backend makes the node not ready
 * instead of hanging the probe.
 */
public final class Readiness {
  /** A name no chunk has in practice: the lookup is cheap on every backend. */
  private static final ChunkHash PROBE = ChunkHash.sha256(new byte[] {'c', 'a', 'i', 'r', 'n'});

  private final Journal journal;
  private final ChunkStore chunks;
  private final String namespace;
  private final long timeoutMillis;

  public Readiness(Journal journal, ChunkStore chunks, String namespace, long timeoutMillis) {
    this.journal = journal;
    this.chunks = chunks;
    this.namespace = namespace;
    this.timeoutMillis = timeoutMillis;
  }

  /** Succeeds when both backends answer; fails with a message naming what did not. */
  public Future<Void> check() {
    Future<Void> j = probe("journal", journal.namespace(namespace).mapEmpty());
    Future<Void> c = probe("chunk store", chunks.missing(List.of(PROBE)).mapEmpty());
    return Future.join(j, c)
        .<Void>mapEmpty()
        .recover(
            e -> {
              StringBuilder why = new StringBuilder();
              for (Future<Void> f : List.of(j, c)) {
                if (f.failed()) {
                  why.append(why.isEmpty() ? "" : "; ").append(f.cause().getMessage());
                }
              }
              return Future.failedFuture(why.toString());
            });
  }

  private Future<Void> probe(String what, Future<Void> call) {
    return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(what + ": " + e.getMessage()));
  }
}
