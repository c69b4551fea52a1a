/**
 * Metrics as decorators: {@link io.cairn.storage.metered.MeteredChunkStore} wraps any chunk store
 * and {@link io.cairn.storage.metered.MeteredJournal} any journal, recording into the Micrometer
 * {@code MeterRegistry} the composition root passes in. Meter names follow {@code
 * cairn_<area>_<what>_<unit>} once exported to Prometheus; docs/metrics.md lists every one.
 */
package io.cairn.storage.metered;
