package io.cairn.storage.metered;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code cairn_cache_lookups_total{cache,result}}: lookups of a cache, {@code result} {@code hit}
 * or {@code miss}. Both series exist from the start (at 0), so a hit ratio is defined as soon as
 * there is traffic.
 *
 * <p>Cairn has no metadata near-cache yet: {@link MeteredJournal} records every metadata lookup that
 * reaches the journal as a {@code miss} of the {@code metadata} cache, which is the truth while
 * nothing sits in front of it. A near-cache placed above the metered journal records its hits
 * with {@link #hit()} on {@link #metadata} and lets its misses fall through to the journal.
 */
public final class CacheMeters {
  static final String LOOKUPS = "cairn.cache.lookups";

  private final Counter hits;
  private final Counter misses;

  private CacheMeters(MeterRegistry registry, String cache) {
    hits = counter(registry, cache, "hit");
    misses = counter(registry, cache, "miss");
  }

  /** The meters of the metadata cache (entries, listings, properties) in {@code registry}. */
  public static CacheMeters metadata(MeterRegistry registry) {
    return new CacheMeters(registry, "metadata");
  }

  /** The meters of the small-chunk cache (whole-chunk reads) in {@code registry}. */
  public static CacheMeters chunks(MeterRegistry registry) {
    return new CacheMeters(registry, "chunks");
  }

  private static Counter counter(MeterRegistry registry, String cache, String result) {
    return Counter.builder(LOOKUPS)
        .description("Cache lookups by cache and result (hit or miss)")
        .tags("cache", cache, "result", result)
        .register(registry);
  }

  /** A lookup answered from the cache. */
  public void hit() {
    hits.increment();
  }

  /** A lookup the cache could not answer (it went to the journal). */
  public void miss() {
    misses.increment();
  }
}
