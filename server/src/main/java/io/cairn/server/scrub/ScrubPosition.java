package io.cairn.server.scrub;

import io.cairn.core.ChunkHash;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where the scrub is, kept in the journal under {@link #KEY} ({@code Journal#maintenanceValue}) so
 * that it outlives a restart and is shared by every node of a cluster.
 *
 * @param after the last chunk checked in the pass; null before its first chunk
 * @param passStarted when the pass started; null before the first pass
 * @param passEnded when the pass ended; null while it is under way
 * @param checked chunks checked so far in the pass (its total when it ended)
 * @param bytes bytes of those chunks
 * @param damaged chunks found damaged so far in the pass
 */
public record ScrubPosition(ChunkHash after, Instant passStarted, Instant passEnded, long checked, long bytes,
    long damaged) {
  /** The journal's maintenance key. */
  public static final String KEY = "scrub.position";

  static final ScrubPosition NEVER = new ScrubPosition(null, null, null, 0, 0, 0);

  /** Whether a pass is under way (started and not finished). */
  boolean underWay() {
    return passStarted != null && passEnded == null;
  }

  /** A new pass, started at {@code now}. */
  static ScrubPosition startingAt(Instant now) {
    return new ScrubPosition(null, now, null, 0, 0, 0);
  }

  String encode() {
    JsonObject o = new JsonObject().put("checked", checked).put("bytes", bytes).put("damaged", damaged);
    if (after != null) {
      o.put("after", after.hex());
    }
    if (passStarted != null) {
      o.put("passStarted", passStarted.toEpochMilli());
    }
    if (passEnded != null) {
      o.put("passEnded", passEnded.toEpochMilli());
    }
    return o.encode();
  }

  /** The position {@code text} holds; {@link #NEVER} for null or for text this build cannot read. */
  public static ScrubPosition decode(String text) {
    if (text == null) {
      return NEVER;
    }
    try {
      JsonObject o = new JsonObject(text);
      String after = o.getString("after");
      return new ScrubPosition(after == null ? null : ChunkHash.parse(after), instant(o, "passStarted"),
          instant(o, "passEnded"), o.getLong("checked", 0L), o.getLong("bytes", 0L), o.getLong("damaged", 0L));
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return NEVER; // a new pass from the start: rereading chunks is harmless
    }
  }

  private static Instant instant(JsonObject o, String key) {
    Long millis = o.getLong(key);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
