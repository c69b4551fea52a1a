package io.cairn.server.scrub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scrub's metrics (docs/metrics.md): chunks and bytes this node checked, chunks it found
 * damaged, when the last pass ended, and the damaged chunks the journal records (sampled by every
 * node, whoever found them: the scrub or {@code cairn fsck --repair}).
 */
final class ScrubMeters {
  private final Counter checkedChunks;
  private final Counter checkedBytes;
  private final Counter mismatches;
  private final AtomicLong lastPassEnded = new AtomicLong();
  private final AtomicLong damagedChunks = new AtomicLong();

  ScrubMeters(MeterRegistry registry) {
    checkedChunks = Counter.builder("cairn.scrub.checked.chunks")
        .description("Stored chunks this node's scrub read and re-hashed").register(registry);
    checkedBytes = Counter.builder("cairn.scrub.checked").baseUnit("bytes")
        .description("Bytes of the chunks this node's scrub read and re-hashed").register(registry);
    mismatches = Counter.builder("cairn.scrub.mismatches")
        .description("Chunks this node's scrub found not hashing to their name, or missing though a version names them")
        .register(registry);
    Gauge.builder("cairn.scrub.last.pass.timestamp", lastPassEnded, AtomicLong::get).baseUnit("seconds")
        .description("When the last complete scrub pass ended (Unix time; 0: none yet)").register(registry);
    Gauge.builder("cairn.damaged.chunks", damagedChunks, AtomicLong::get)
        .description("Chunks the journal records as damaged (by the scrub or fsck --repair): content naming them "
            + "answers an error until they are restored")
        .register(registry);
  }

  void checked(long bytes) {
    checkedChunks.increment();
    checkedBytes.increment(bytes);
  }

  void mismatch() {
    mismatches.increment();
  }

  void passEnded(java.time.Instant at) {
    lastPassEnded.set(at.getEpochSecond());
  }

  void damagedChunks(long count) {
    damagedChunks.set(count);
  }
}
