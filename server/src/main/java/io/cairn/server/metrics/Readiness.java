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
 * instead of hanging the probe. A ready node may still carry warnings: chunks the journal records
 * as damaged (ADR 0016), whose content answers an error until restored, are one.
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

  /** At most this many damaged chunks are counted for the warning; more read as "1000 or more". */
  static final int DAMAGED_COUNTED = 1_000;

  /**
   * Succeeds when both backends answer, with the warnings to show beside "ready" (none: empty);
   * fails with a message naming what did not answer.
   */
  public Future<List<String>> check() {
    return backends().compose(v -> warnings());
  }

  private Future<List<String>> warnings() {
    return journal.damagedChunks(null, DAMAGED_COUNTED)
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(damaged -> damaged.isEmpty() ? List.<String>of() : List.of("warning: "
            + (damaged.size() >= DAMAGED_COUNTED ? DAMAGED_COUNTED + " or more" : damaged.size())
            + " damaged chunks recorded (first " + damaged.getFirst().hash().hex() + ": it "
            + damaged.getFirst().problem() + "); content naming them answers an error until they are"
            + " restored: cairn fsck lists what needs them"))
        // Readiness is about serving; a warning that cannot be read is no reason to stop.
        .otherwise(e -> List.of());
  }

  private Future<Void> backends() {
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
