package io.cairn.server.fsck;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.Journal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the chunks that retained versions name, in batches: one {@link ChunkStore#missing} call
 * per batch of distinct hashes, never one request per chunk, and with {@code verify} a bounded
 * window of concurrent reads whose bytes are re-hashed. Each problem is reported once per place
 * that needs the chunk (a live path, a version, a trash entry).
 *
 * <p>Chunks already found sound are remembered (up to {@link #REMEMBERED} of them, then forgotten
 * at once) so that a chunk shared by many versions is asked about, and read, about once.
 *
 * <p>A chunk the journal records as damaged ({@link Journal#damaged}, ADR 0016) that is still
 * missing or corrupt is reported as known damage, not as a new problem; one that {@code verify}
 * reads sound again is told to {@link Findings#sound}.
 */
final class ChunkChecker {
  static final int BATCH = 1_000;
  static final int REMEMBERED = 1_000_000;
  private static final int READS_IN_FLIGHT = 8;

  /** One place that needs a chunk: "ns:/path (live)", and the block length it expects. */
  private record Need(String where, int length) {}

  /** Where the checker's findings go. */
  interface Findings {
    /** A new problem, one line. */
    void problem(String line);

    /** Damage the journal records already for chunk {@code hash}, one line. */
    void known(ChunkHash hash, String line);

    /**
     * A chunk newly found missing or corrupt, reported in {@code lines} problem lines: {@code
     * problem} says which, for its record.
     */
    void damaged(ChunkHash hash, String problem, int lines);

    /** A chunk recorded as damaged that was read and hashes to its name again. */
    void sound(ChunkHash hash);
  }

  private final ChunkStore store;
  private final Journal journal;
  private final boolean verify;
  private final Findings findings;
  private final Runnable progress;
  private Map<ChunkHash, DamagedChunk> known = Map.of();
  private final Map<ChunkHash, Set<Need>> pending = new LinkedHashMap<>();
  private final Set<ChunkHash> sound = new HashSet<>();
  private long checked;
  private long bytesRead;

  /** {@code progress} is called after each window of reads: a batch may take minutes on S3. */
  ChunkChecker(ChunkStore store, Journal journal, boolean verify, Findings findings, Runnable progress) {
    this.store = store;
    this.journal = journal;
    this.verify = verify;
    this.findings = findings;
    this.progress = progress;
  }

  /** Records that {@code where} needs chunk {@code hash} of {@code length} bytes; may check a batch. */
  void need(ChunkHash hash, int length, String where) {
    if (sound.contains(hash)) {
      return;
    }
    pending.computeIfAbsent(hash, h -> new LinkedHashSet<>()).add(new Need(where, length));
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  /** Checks every chunk recorded so far. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Set<ChunkHash> missing = Fsck.await(store.missing(pending.keySet()), "ask the chunk store which chunks it lacks");
    known = Fsck.await(journal.damaged(pending.keySet()), "read the damaged chunks' records");
    List<ChunkHash> present = new ArrayList<>(pending.size());
    for (Map.Entry<ChunkHash, Set<Need>> e : pending.entrySet()) {
      checked++;
      if (missing.contains(e.getKey())) {
        damaged("MISSING", e.getKey(), e.getValue(), DamagedChunk.MISSING, null);
      } else if (known.containsKey(e.getKey()) && !verify) {
        // Present, but only reading it tells whether it is sound again.
        reportKnown(e.getKey(), e.getValue());
      } else {
        present.add(e.getKey());
      }
    }
    if (verify) {
      for (int from = 0; from < present.size(); from += READS_IN_FLIGHT) {
        List<ChunkHash> window = present.subList(from, Math.min(present.size(), from + READS_IN_FLIGHT));
        List<Future<Buffer>> reads = new ArrayList<>(window.size());
        window.forEach(h -> reads.add(store.get(h)));
        for (int i = 0; i < window.size(); i++) {
          verifyOne(window.get(i), reads.get(i));
        }
        progress.run();
      }
    } else {
      present.forEach(this::remember);
    }
    pending.clear();
  }

  private void verifyOne(ChunkHash hash, Future<Buffer> read) {
    Set<Need> needs = pending.get(hash);
    Buffer data;
    try {
      data = Fsck.await(read, "read chunk " + hash.hex());
    } catch (FsckFailure e) {
      if (e.getCause() instanceof CairnException c && c.kind() == CairnException.Kind.NOT_FOUND) {
        damaged("MISSING", hash, needs, DamagedChunk.MISSING, null); // deleted between the existence check and the read
        return;
      }
      if (e.getCause() instanceof CairnException c && c.kind() == CairnException.Kind.DAMAGED) {
        damaged("CORRUPT", hash, needs, DamagedChunk.notItsHash(c.getMessage()), c.getMessage()); // the store checked the bytes itself (S3)
        return;
      }
      throw e;
    }
    bytesRead += data.length();
    ChunkHash actual = ChunkHash.sha256(data.getBytes());
    if (!actual.equals(hash)) {
      damaged("CORRUPT", hash, needs, DamagedChunk.notItsHash("its bytes hash to " + actual.hex()), "its bytes hash to " + actual.hex());
      return;
    }
    if (known.containsKey(hash)) {
      findings.sound(hash);
    }
    Set<Need> wrongLength = new LinkedHashSet<>();
    for (Need n : needs) {
      if (n.length() != data.length()) {
        wrongLength.add(n);
      }
    }
    if (wrongLength.isEmpty()) {
      remember(hash);
    } else {
      report("CORRUPT", hash, wrongLength, data.length() + " bytes where the blocklist says "
          + wrongLength.iterator().next().length());
    }
  }

  private void remember(ChunkHash hash) {
    if (sound.size() >= REMEMBERED) {
      sound.clear();
    }
    sound.add(hash);
  }

  /** A chunk found missing or corrupt: known damage when the journal records it, else new. */
  private void damaged(String what, ChunkHash hash, Set<Need> needs, String problem, String detail) {
    if (known.containsKey(hash)) {
      reportKnown(hash, needs);
      return;
    }
    report(what, hash, needs, detail);
    findings.damaged(hash, problem, needs.size());
  }

  private void reportKnown(ChunkHash hash, Set<Need> needs) {
    DamagedChunk d = known.get(hash);
    for (Need n : needs) {
      findings.known(hash, "DAMAGED chunk " + hash.hex() + " needed by " + n.where() + ": recorded "
          + d.foundAt() + ", it " + d.problem());
    }
  }

  private void report(String what, ChunkHash hash, Set<Need> needs, String detail) {
    for (Need n : needs) {
      findings.problem(what + " chunk " + hash.hex() + " needed by " + n.where()
          + (detail == null ? "" : ": " + detail));
    }
  }

  /** Distinct chunks checked so far (a chunk checked again in a later batch counts again). */
  long checked() {
    return checked;
  }

  long bytesRead() {
    return bytesRead;
  }
}
