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
public record DamagedChunk(ChunkHash hash, String problem, Instant foundAt) {}
