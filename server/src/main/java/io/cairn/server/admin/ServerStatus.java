package io.cairn.server.admin;

import io.cairn.storage.Journal;
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
 * default's data directory, read from its gauge, docs/metrics.md, so the page and the metrics
 * cannot disagree), and the last gc and fsck runs as the journal records them ({@link LastRun}):
 * the same on every node, whichever node or command ran them.
 *
 * @param journal the journal's kind (SqliteJournal, PgJournal)
 * @param chunks the chunk store's backend as it names itself
 * @param members the cluster's members (host:port), empty on a single node
 * @param registry the node's meters, where the disk gauges are read
 * @param records the journal, where the last runs are recorded
 */
public record ServerStatus(String version, String journal, String chunks, Supplier<List<String>> members,
    MeterRegistry registry, Journal records) {

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
    LastRun gc = LastRun.read(records, LastRun.GC);
    LastRun fsck = LastRun.read(records, LastRun.FSCK);
    return out.put("gc", gc == null ? null : gc.json()).put("fsck", fsck == null ? null : fsck.json());
  }

  private double gauge(String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? 0 : g.value();
  }
}
