package io.cairn.storage;

import io.cairn.core.ChunkHash;
import java.time.Instant;

/**
 * A chunk recorded as damaged ({@link Journal#markDamaged}): found missing from the chunk store or
 * not hashing to its name. Every version, live file and trash entry that names it is damaged: its
 * content can no longer be served whole.
 *
 * @param problem what was found, for people: "missing", "its bytes hash to …"
 * @param foundAt when it was first recorded
 */
public record DamagedChunk(ChunkHash hash, String problem, Instant foundAt) {
  /** The problem of a chunk the store no longer has. */
  public static final String MISSING = "is missing from the chunk store";

  /** The problem of a chunk whose bytes do not hash to its name; {@code detail} may be null. */
  public static String notItsHash(String detail) {
    return "does not hash to its name" + (detail == null ? "" : " (" + detail + ")");
  }
}
