package io.cairn.cluster.cache;

/** Counters of a cache, for metrics ({@code cairn_cache_hits_total} and friends). */
public interface CacheStats {
  /** Reads answered from the cache since it was created. Monotonic; safe from any thread. */
  long hits();

  /** Reads that went to the backend since the cache was created. Monotonic; any thread. */
  long misses();

  /** Cached values dropped because a commit changed them (or the cache overflowed). */
  long invalidations();
}
