package io.cairn.files;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.DamagedChunk;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses content that names a chunk recorded as damaged ({@link io.cairn.storage.Journal#markDamaged}, ADR 0016)
 * with DAMAGED and a message naming the damage, before any of it is sent: a reader gets a clear
 * error, never a short or wrong body. Asked through {@link KnownDamage}, which learns from the answer.
 */
final class DamagedContent {
  private DamagedContent() {}

  /** Fails with DAMAGED when {@code blocks} (the content of {@code what}) names a damaged chunk. */
  static void requireIntact(KnownDamage known, String what, Blocklist blocks) {
    if (blocks == null || blocks.blocks().isEmpty()) {
      return;
    }
    require(known, what, hashesOf(blocks));
  }

  /** Which of {@code rows} name a chunk recorded as damaged, by jid: one lookup for them all. */
  static Set<Long> damagedRows(KnownDamage known, List<io.cairn.storage.JournalRow> rows) {
    Set<ChunkHash> hashes = new LinkedHashSet<>();
    rows.forEach(r -> hashes.addAll(hashesOf(r.blocklist())));
    if (hashes.isEmpty()) {
      return Set.of();
    }
    Set<ChunkHash> damaged = Await.result(known.recorded(hashes)).keySet();
    Set<Long> out = new java.util.HashSet<>();
    if (!damaged.isEmpty()) {
      rows.stream().filter(r -> hashesOf(r.blocklist()).stream().anyMatch(damaged::contains))
          .forEach(r -> out.add(r.jid()));
    }
    return out;
  }

  private static Set<ChunkHash> hashesOf(Blocklist blocks) {
    Set<ChunkHash> out = new LinkedHashSet<>();
    if (blocks != null) {
      blocks.blocks().forEach(b -> out.add(b.hash()));
    }
    return out;
  }

  /** Fails with DAMAGED when chunk {@code hash} is recorded damaged. */
  static void requireIntact(KnownDamage known, ChunkHash hash) {
    require(known, "chunk " + hash.hex(), List.of(hash));
  }

  private static void require(KnownDamage known, String what, java.util.Collection<ChunkHash> hashes) {
    Map<ChunkHash, DamagedChunk> damaged = Await.result(known.recorded(hashes));
    if (damaged.isEmpty()) {
      return;
    }
    DamagedChunk first = damaged.values().stream().min(Comparator.comparing(d -> d.hash().hex())).orElseThrow();
    throw new CairnException(CairnException.Kind.DAMAGED, what + " is damaged: chunk " + first.hash().hex()
        + " " + first.problem() + " (found " + first.foundAt() + ")"
        + (damaged.size() > 1 ? " and " + (damaged.size() - 1) + " more chunks are damaged" : "")
        + "; it cannot be read until the same content is uploaded again or an administrator restores the chunk"
        + " from a backup");
  }
}
