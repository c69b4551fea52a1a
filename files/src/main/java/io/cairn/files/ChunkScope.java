package io.cairn.files;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scoped dedup (design invariant 7): which chunks a caller may learn exist, name in a commit, or
 * read by hash. A chunk is theirs to claim when a retained version of a namespace they can read
 * names it ({@link Journal#referenced}), or when they uploaded it themselves within {@link
 * #UPLOAD_GRACE}. Anything else is answered as if the store lacked it, so no hash tells anyone
 * about content outside their view.
 */
final class ChunkScope {
  /** How long an upload not yet named by any version stays the uploader's to commit. */
  static final Duration UPLOAD_GRACE = Duration.ofHours(1);

  private final Journal journal;
  private final ChunkStore chunks;
  private final KnownDamage damage;
  private final Clock clock;

  ChunkScope(Journal journal, ChunkStore chunks, KnownDamage damage, Clock clock) {
    this.journal = journal;
    this.chunks = chunks;
    this.damage = damage;
    this.clock = clock;
  }

  /** Which of {@code hashes} {@code caller} may claim (whether the store has them or not). */
  Set<ChunkHash> claimable(Caller caller, Collection<ChunkHash> hashes) {
    Set<ChunkHash> claimable =
        new HashSet<>(Await.result(journal.referenced(caller.namespaces(), hashes)));
    if (claimable.size() < hashes.size()) {
      List<ChunkHash> rest = hashes.stream().filter(h -> !claimable.contains(h)).toList();
      claimable.addAll(
          Await.result(
              journal.uploadedSince(caller.name(), rest, clock.instant().minus(UPLOAD_GRACE))));
    }
    return claimable;
  }

  /**
   * The hashes of {@code hashes} the caller must upload, in their order, each once: those the store
   * lacks, those the caller may not claim, and those recorded as damaged (ADR 0016), whose upload
   * heals them.
   */
  List<ChunkHash> missing(Caller caller, List<ChunkHash> hashes) {
    Set<ChunkHash> distinct = new LinkedHashSet<>(hashes);
    if (distinct.isEmpty()) {
      return List.of();
    }
    Set<ChunkHash> lacking = Await.result(chunks.missing(distinct));
    List<ChunkHash> asked = distinct.stream().filter(h -> !lacking.contains(h)).toList();
    Set<ChunkHash> claimable = asked.isEmpty() ? Set.of() : claimable(caller, asked);
    Set<ChunkHash> damaged = damaged(claimable);
    List<ChunkHash> out = new ArrayList<>();
    for (ChunkHash h : distinct) {
      if (lacking.contains(h) || !claimable.contains(h) || damaged.contains(h)) {
        out.add(h);
      }
    }
    return out;
  }

  /** Which of {@code present} are recorded as damaged: a journal lookup only for those this node may think so. */
  private Set<ChunkHash> damaged(Set<ChunkHash> present) {
    List<ChunkHash> suspect = Await.result(damage.suspects(present));
    return suspect.isEmpty() ? Set.of() : Await.result(damage.recorded(suspect)).keySet();
  }

  /** Stores a chunk the caller sent, after checking it is what its name says, and records it as theirs. */
  void store(Caller caller, ChunkHash hash, Buffer data) {
    if (!ChunkHash.sha256(data.getBytes()).equals(hash)) {
      throw CairnException.invalid("the chunk's bytes do not hash to " + hash.hex());
    }
    Await.result(chunks.put(hash, data));
    Await.result(journal.recordUpload(caller.name(), List.of(hash), clock.instant()));
  }

  /**
   * The chunk's bytes when the caller may claim it; NOT_FOUND otherwise, as for no such chunk;
   * DAMAGED when it is claimable but recorded as damaged.
   */
  Buffer read(Caller caller, ChunkHash hash) {
    if (!claimable(caller, List.of(hash)).contains(hash)) {
      throw CairnException.notFound("no chunk " + hash.hex());
    }
    DamagedContent.requireIntact(damage, hash); // only now: no one learns of a chunk outside their view
    return Await.result(chunks.get(hash));
  }

  /**
   * Refuses (INVALID) a blocklist whose blocks give a chunk a size it does not have, so a commit
   * can neither undercount its bytes against the quota nor name content it cannot serve. One hash
   * must have one size throughout; each chunk not yet named by a version the caller can read (a
   * fresh upload, the only kind whose size no earlier commit checked) is read at its declared last
   * byte: exactly one byte from there means the size is right.
   */
  void checkSizes(Caller caller, io.cairn.core.Blocklist blocklist) {
    java.util.Map<ChunkHash, Integer> sizes = new java.util.LinkedHashMap<>();
    for (io.cairn.core.BlockRef b : blocklist.blocks()) {
      Integer before = sizes.putIfAbsent(b.hash(), b.length());
      if (before != null && before != b.length()) {
        throw CairnException.invalid("chunk " + b.hash().hex() + " is given two sizes");
      }
    }
    Set<ChunkHash> referenced = new HashSet<>(Await.result(journal.referenced(caller.namespaces(), sizes.keySet())));
    List<io.vertx.core.Future<Buffer>> reads = new ArrayList<>();
    List<ChunkHash> checked = new ArrayList<>();
    for (var e : sizes.entrySet()) {
      if (!referenced.contains(e.getKey())) {
        checked.add(e.getKey());
        reads.add(chunks.get(e.getKey(), e.getValue() - 1L, 2));
      }
    }
    for (int i = 0; i < reads.size(); i++) {
      if (Await.result(reads.get(i)).length() != 1) {
        throw CairnException.invalid("the size given for chunk " + checked.get(i).hex() + " is not its size");
      }
    }
  }
}
