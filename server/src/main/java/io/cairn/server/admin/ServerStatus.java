package io.cairn.server.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the admin's status page shows of this node ({@code GET /.cairn/admin/status}): the version,
 * the backends in use (their kinds, never their URIs, which may carry credentials), the cluster's
 * members when clustered, the free space where the chunks live on local disk (the embedded
 * default's data directory) and the last gc run this node completed, both read from their own
 * gauges (docs/metrics.md), so the page and the metrics cannot disagree. fsck runs as a command of its own ({@code cairn fsck}) and leaves no record the server
 * could show.
 *
 * @param journal the journal's kind (SqliteJournal, PgJournal)
 * @param chunks the chunk store's backend as it names itself
 * @param members the cluster's members (host:port), empty on a single node
 * @param registry the node's meters, where the disk and gc gauges are read
 */
public record ServerStatus(String version, String journal, String chunks, Supplier<List<String>> members,
    MeterRegistry registry) {

  /** The gauge of the gc run this node completed last (seconds since the epoch; 0: none yet). */
  static final String GC_LAST_RUN = "cairn.gc.last.run.timestamp";
  static final String GC_LAST_TOOK = "cairn.gc.last.run.duration";
  static final String DISK_FREE = "cairn.disk.free.bytes";
  static final String DISK_SIZE = "cairn.disk.size.bytes";

  JsonObject json() {
    List<String> nodes = members.get();
    JsonObject out = new JsonObject().put("version", version)
        .put("backends", new JsonObject().put("journal", journal).put("chunks", chunks))
        .put("clustered", !nodes.isEmpty()).put("members", new JsonArray(nodes));
    Gauge free = registry.find(DISK_FREE).gauge(); // none when the chunks are not on local disk
    out.put("disk", free == null ? null
        : new JsonObject().put("freeBytes", (long) free.value()).put("sizeBytes", (long) gauge(DISK_SIZE)));
    double started = gauge(GC_LAST_RUN);
    out.put("gc", started <= 0 ? null
        : new JsonObject().put("lastRunAt", (long) (started * 1000)).put("tookMillis", (long) (gauge(GC_LAST_TOOK) * 1000)));
    return out.put("fsck", null);
  }

  private double gauge(String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? 0 : g.value();
  }
}
