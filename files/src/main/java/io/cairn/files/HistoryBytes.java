package io.cairn.files;

import io.cairn.storage.Journal;
import io.cairn.storage.NamespaceUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The history bytes (retained versions and trash, {@link NamespaceUsage#historyBytes}) of the
 * namespaces whose quota counts them ({@link QuotaPolicy#countsHistory}). Reading them is a pass
 * over the namespace's journal (about a second per million rows), too slow for every write: each
 * namespace's figure is read at most once a {@link #REFRESH}, and the writes checked here add what
 * they displace at once. What changes history otherwise (a delete, retention, another node's
 * writes) shows at the next read. Thread-safe; blocking.
 */
final class HistoryBytes {
  /** How long a namespace's figure from the journal is used before it is read again. */
  static final Duration REFRESH = Duration.ofMinutes(1);
  /** Figures kept at most; past it all are dropped and read again as needed. */
  private static final int MAX_NAMESPACES = 10_000;

  private record Reading(long bytes, Instant at) {}

  private final Journal journal;
  private final Clock clock;
  private final ConcurrentHashMap<String, Reading> readings = new ConcurrentHashMap<>();

  HistoryBytes(Journal journal, Clock clock) {
    this.journal = journal;
    this.clock = clock;
  }

  /** The history bytes of {@code ns}, at most {@link #REFRESH} old but for writes checked here. */
  long of(String ns) {
    Instant now = clock.instant();
    Reading r = readings.get(ns);
    if (r == null || !now.isBefore(r.at().plus(REFRESH))) {
      if (readings.size() >= MAX_NAMESPACES) {
        readings.clear();
      }
      r = new Reading(Await.result(journal.usage(ns)).historyBytes(), now);
      readings.put(ns, r);
    }
    return r.bytes();
  }

  /** A write about to replace {@code bytes} of live content of {@code ns}: they become history. */
  void displaced(String ns, long bytes) {
    if (bytes > 0) {
      readings.computeIfPresent(ns, (k, r) -> new Reading(r.bytes() + bytes, r.at()));
    }
  }
}
