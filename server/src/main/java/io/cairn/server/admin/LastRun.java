package io.cairn.server.admin;

import io.cairn.files.Await;
import io.cairn.storage.Journal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last run of a maintenance task, kept in the journal's maintenance values ({@link
 * Journal#setMaintenanceValue}) under {@link #GC} or {@link #FSCK}, so that the status page of
 * every node shows it, whichever node or command ran it. A newer run replaces the record.
 *
 * @param atMillis when the run started (epoch milliseconds)
 * @param tookMillis how long it took
 * @param result {@code ok} or {@code failed} for gc; {@code clean}, {@code problems} or {@code
 *     failed} for fsck
 * @param summary the run's one-line account, as the command prints it or the server logs it
 */
public record LastRun(long atMillis, long tookMillis, String result, String summary) {
  /** The key of the last gc run: the server's scheduled runs and {@code cairn gc}. */
  public static final String GC = "last.run.gc";
  /** The key of the last {@code cairn fsck}. */
  public static final String FSCK = "last.run.fsck";

  private static final Logger LOG = LoggerFactory.getLogger(LastRun.class);

  /** A run that started at {@code started} and ended at {@code ended}. */
  public static LastRun of(Instant started, Instant ended, String result, String summary) {
    return new LastRun(started.toEpochMilli(), Duration.between(started, ended).toMillis(), result, summary);
  }

  /** As the status answers it: {@code {"lastRunAt", "tookMillis", "result", "summary"}}. */
  public JsonObject json() {
    return new JsonObject().put("lastRunAt", atMillis).put("tookMillis", tookMillis).put("result", result)
        .put("summary", summary);
  }

  /**
   * Records this run under {@code key}. A journal that cannot take it is logged, not thrown: the
   * run itself went as it went, and its exit status or outcome must not change for the record.
   */
  public void record(Journal journal, String key) {
    try {
      Await.result(journal.setMaintenanceValue(key, json().encode()));
    } catch (RuntimeException e) {
      LOG.warn("could not record the last run under {}: {}", key, e.getMessage());
    }
  }

  /** The run recorded under {@code key}; null when none was, or the record cannot be read. */
  public static LastRun read(Journal journal, String key) {
    String value = Await.result(journal.maintenanceValue(key));
    if (value == null) {
      return null;
    }
    try {
      JsonObject o = new JsonObject(value);
      return new LastRun(o.getLong("lastRunAt"), o.getLong("tookMillis"), o.getString("result"), o.getString("summary"));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      return null;
    }
  }
}
