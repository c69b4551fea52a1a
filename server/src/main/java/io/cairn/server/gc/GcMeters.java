package io.cairn.server.gc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Chunk garbage collection's metrics (docs/metrics.md): what the last completed run marked, swept
 * and kept for grace, when it started and how long it took, chunks and bytes swept over the
 * process's life, and runs by outcome. Gauges read 0 until a run completes on this node.
 */
final class GcMeters {
  private static final GarbageCollector.Summary NONE =
      new GarbageCollector.Summary(null, java.time.Duration.ZERO, false, 0, 0, 0, 0, 0, 0, 0);

  private final AtomicReference<GarbageCollector.Summary> last = new AtomicReference<>(NONE);
  private final Counter sweptChunks;
  private final Counter sweptBytes;
  private final Map<String, Counter> runs;
  private final Counter expiredVersions;
  private final Counter expiredTrash;
  private final Map<String, Counter> retentionRuns;
  private final AtomicReference<long[]> historyBytes = new AtomicReference<>(new long[2]);

  GcMeters(MeterRegistry registry) {
    gauge(registry, "cairn.gc.marked.chunks", null, "Chunks the last run found named by a retained version",
        s -> s.markedChunks());
    gauge(registry, "cairn.gc.marked", "bytes", "Bytes of the chunks the last run found live", s -> s.markedBytes());
    gauge(registry, "cairn.gc.kept.for.grace.chunks", null,
        "Unreferenced chunks the last run kept for being younger than gc.grace.hours", s -> s.keptForGraceChunks());
    gauge(registry, "cairn.gc.kept.for.grace", "bytes", "Bytes of those chunks", s -> s.keptForGraceBytes());
    gauge(registry, "cairn.gc.last.run.timestamp", "seconds", "When the last completed run started (Unix time)",
        s -> s.started() == null ? 0 : s.started().toEpochMilli() / 1000.0);
    gauge(registry, "cairn.gc.last.run.duration", "seconds", "How long the last completed run took",
        s -> s.took().toMillis() / 1000.0);
    sweptChunks = Counter.builder("cairn.gc.swept.chunks").description("Chunks deleted by garbage collection")
        .register(registry);
    sweptBytes = Counter.builder("cairn.gc.swept").baseUnit("bytes")
        .description("Bytes of the chunks deleted by garbage collection").register(registry);
    runs = Map.of("ok", runs(registry, "ok"), "failed", runs(registry, "failed"), "skipped", runs(registry, "skipped"));
    expiredVersions = Counter.builder("cairn.retention.expired.versions")
        .description("Versions retention recorded as expired").register(registry);
    expiredTrash = Counter.builder("cairn.retention.expired.trash")
        .description("Trash items retention recorded as expired").register(registry);
    retentionRuns = Map.of("ok", retentionRuns(registry, "ok"), "failed", retentionRuns(registry, "failed"));
    Gauge.builder("cairn.retention.version", historyBytes, b -> b.get()[0]).baseUnit("bytes")
        .description("Bytes of the retained versions that are no live file's, as the last retention pass found them")
        .register(registry);
    Gauge.builder("cairn.retention.trash", historyBytes, b -> b.get()[1]).baseUnit("bytes")
        .description("Bytes of the files in the trash, as the last retention pass found them").register(registry);
  }

  private static Counter retentionRuns(MeterRegistry registry, String outcome) {
    return Counter.builder("cairn.retention.runs").tag("outcome", outcome)
        .description("Retention runs (before each gc run): ok, failed (gc then keeps everything not yet expired)")
        .register(registry);
  }

  void retained(io.cairn.server.retention.RetentionPass.Summary s) {
    expiredVersions.increment(s.versionsExpired());
    expiredTrash.increment(s.trashExpired());
    historyBytes.set(new long[] {s.versionBytes(), s.trashBytes()});
    retentionRuns.get("ok").increment();
  }

  void retentionFailed() {
    retentionRuns.get("failed").increment();
  }

  private void gauge(MeterRegistry registry, String name, String unit, String description,
      java.util.function.ToDoubleFunction<GarbageCollector.Summary> value) {
    Gauge.builder(name, last, r -> value.applyAsDouble(r.get())).baseUnit(unit).description(description)
        .register(registry);
  }

  private static Counter runs(MeterRegistry registry, String outcome) {
    return Counter.builder("cairn.gc.runs").tag("outcome", outcome)
        .description("Garbage collection runs: ok, failed (nothing deleted if it failed marking), "
            + "skipped (another node held the lease)")
        .register(registry);
  }

  void completed(GarbageCollector.Summary s) {
    last.set(s);
    sweptChunks.increment(s.sweptChunks());
    sweptBytes.increment(s.sweptBytes());
    runs.get("ok").increment();
  }

  void failed() {
    runs.get("failed").increment();
  }

  void skipped() {
    runs.get("skipped").increment();
  }
}
