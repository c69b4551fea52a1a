package io.cairn.storage.metered;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The histogram buckets of the storage latencies: 0.1 ms to 10 s, about three per decade. Calls
 * seen here run from a tenth of a millisecond (SQLite, a chunk file in the page cache) through a
 * few milliseconds (PostgreSQL, disk) to a second (S3 under load); 15 bounds and +Inf give any
 * percentile within a bucket's width, where Micrometer's percentile histogram published about 90
 * buckets per series.
 */
public final class LatencyBuckets {
  private static final Duration[] STORAGE = seconds(
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10);

  private LatencyBuckets() {}

  /** {@code builder} with the storage buckets. */
  public static Timer.Builder storage(Timer.Builder builder) {
    return builder.serviceLevelObjectives(STORAGE);
  }

  /** Bucket bounds in seconds, as Durations. */
  public static Duration[] seconds(double... bounds) {
    Duration[] durations = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
    }
    return durations;
  }
}
