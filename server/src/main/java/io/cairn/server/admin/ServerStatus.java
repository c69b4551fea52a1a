package io.cairn.server.admin;

import io.cairn.files.Await;
import io.cairn.server.scrub.ScrubPosition;
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
 * cannot disagree), the last gc and fsck runs as the journal records them ({@link LastRun}) and
 * the background scrub's pass ({@link ScrubPosition}): the same on every node, whichever node or
 * command ran them.
 *
 * @param journal the journal's kind (SqliteJournal, PgJournal)
 * @param chunks the chunk store's backend as it names itself
 * @param members the cluster's members (host:port), empty on a single node
 * @param registry the node's meters, where the disk gauges are read
 * @param records the journal, where the last runs and the scrub's position are recorded
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
    return out.put("gc", gc == null ? null : gc.json()).put("fsck", fsck == null ? null : fsck.json())
        .put("scrub", scrub(ScrubPosition.decode(Await.result(records.maintenanceValue(ScrubPosition.KEY)))));
  }

  /**
   * The background scrub's pass, the last one or the one under way, as the journal keeps it for
   * every node (ADR 0016): when it started and ended (null while under way), chunks and bytes
   * checked, chunks found damaged; null before the first pass.
   */
  private static JsonObject scrub(ScrubPosition p) {
    if (p.passStarted() == null) {
      return null;
    }
    return new JsonObject().put("passStartedAt", p.passStarted().toEpochMilli())
        .put("passEndedAt", p.passEnded() == null ? null : p.passEnded().toEpochMilli())
        .put("checkedChunks", p.checked()).put("checkedBytes", p.bytes()).put("damagedChunks", p.damaged());
  }

  private double gauge(String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? 0 : g.value();
  }
}
