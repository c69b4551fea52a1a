package io.cairn.server.fsck;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks the chunks that retained versions name, in batches: one {@link ChunkStore#missing} call
 * per batch of distinct hashes, never one request per chunk, and with {@code verify} a bounded
 * window of concurrent reads whose bytes are re-hashed. Each problem is reported once per place
 * that needs the chunk (a live path, a version, a trash entry).
 *
 * <p>Chunks already found sound are remembered (up to {@link #REMEMBERED} of them, then forgotten
 * at once) so that a chunk shared by many versions is asked about, and read, about once.
 */
final class ChunkChecker {
  static final int BATCH = 1_000;
  static final int REMEMBERED = 1_000_000;
  private static final int READS_IN_FLIGHT = 8;

  /** One place that needs a chunk: "ns:/path (live)", and the block length it expects. */
  private record Need(String where, int length) {}

  private final ChunkStore store;
  private final boolean verify;
  private final Consumer<String> problem;
  private final Runnable progress;
  private final Map<ChunkHash, Set<Need>> pending = new LinkedHashMap<>();
  private final Set<ChunkHash> sound = new HashSet<>();
  private long checked;
  private long bytesRead;

  /** {@code progress} is called after each window of reads: a batch may take minutes on S3. */
  ChunkChecker(ChunkStore store, boolean verify, Consumer<String> problem, Runnable progress) {
    this.store = store;
    this.verify = verify;
    this.problem = problem;
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
    List<ChunkHash> present = new ArrayList<>(pending.size());
    for (Map.Entry<ChunkHash, Set<Need>> e : pending.entrySet()) {
      checked++;
      if (missing.contains(e.getKey())) {
        report("MISSING", e.getKey(), e.getValue(), null);
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
        report("MISSING", hash, needs, null); // deleted between the existence check and the read
        return;
      }
      throw e;
    }
    bytesRead += data.length();
    ChunkHash actual = ChunkHash.sha256(data.getBytes());
    if (!actual.equals(hash)) {
      report("CORRUPT", hash, needs, "its bytes hash to " + actual.hex());
      return;
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

  private void report(String what, ChunkHash hash, Set<Need> needs, String detail) {
    for (Need n : needs) {
      problem.accept(what + " chunk " + hash.hex() + " needed by " + n.where()
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
