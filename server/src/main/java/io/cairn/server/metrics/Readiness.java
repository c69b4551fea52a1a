package io.cairn.server.metrics;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this node can serve: the journal answers a query, and the chunk store answers a
 * lookup. Each probe is bounded by a timeout, so an unreachable backend makes the node not ready
 * instead of hanging the probe.
 */
public final class Readiness {
  /** A name no chunk has in practice: the lookup is cheap on every backend. */
  private static final ChunkHash PROBE = ChunkHash.sha256(new byte[] {'c', 'a', 'i', 'r', 'n'});

  private final Journal journal;
  private final ChunkStore chunks;
  private final long timeoutMillis;

  private static final String PROBE_NAMESPACE = "readiness-probe:";

  public Readiness(Journal journal, ChunkStore chunks, long timeoutMillis) {
    this.journal = journal;
    this.chunks = chunks;
    this.timeoutMillis = timeoutMillis;
  }

  /** Succeeds when both backends answer; fails with a message naming what did not. */
  public Future<Void> check() {
    // Any answer from the database will do, "no such namespace" included: the probe asks for a
    // name no user can have.
    Future<Void> j =
        probe(
            "journal",
            journal
                .namespace(PROBE_NAMESPACE)
                .<Void>mapEmpty()
                .recover(
                    e ->
                        CairnException.kindOf(e) == CairnException.Kind.NOT_FOUND
                            ? Future.succeededFuture()
                            : Future.failedFuture(e)));
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
