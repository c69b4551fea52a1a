package io.cairn.bench;

import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Compares chunker parameters on what they cost: how many chunks 64 MiB of random bytes becomes,
 * and how many new bytes realistic edits of it make the store keep. Random content has no
 * repetition of its own, so every shared chunk is thanks to content-defined cutting alone.
 *
 * <p>For each seed and parameter set it cuts the original, then each edited version, and counts
 * the edited version's bytes that lie in chunks the original does not have. Prints a Markdown
 * table of the means over the seeds.
 *
 * <p>Then it measures one per-chunk cost: writing the first seed's 64 MiB as one file per chunk,
 * each forced to disk before it counts as stored (as a local chunk store must before a PUT is
 * acknowledged), under {@code java.io.tmpdir}, and fits a fixed cost per file. Last, it prices a
 * file's life (written once, edited k times) for a grid of per-chunk costs and shows which
 * candidate is cheapest and how far each is from the cheapest at worst. Run with bench/chunker-params.sh; the figures and the choice
 * they led to are in docs/adr/0002-chunker-parameters.md.
 */
public final class ChunkerParamsStudy {
  private static final int KIB = 1 << 10;
  private static final int MIB = 1 << 20;
  private static final int SIZE = 64 * MIB;
  private static final int SEEDS = 12;

  private static final List<ChunkerParams> CANDIDATES =
      List.of(
          new ChunkerParams(64 * KIB, 256 * KIB, MIB),
          new ChunkerParams(128 * KIB, 512 * KIB, 2 * MIB),
          new ChunkerParams(256 * KIB, MIB, 4 * MIB),
          new ChunkerParams(512 * KIB, 2 * MIB, 8 * MIB),
          new ChunkerParams(MIB, 4 * MIB, 16 * MIB));

  private enum Edit {
    INSERT_1KIB_MIDDLE,
    EIGHT_SCATTERED_EDITS,
    APPEND_1MIB
  }

  private ChunkerParamsStudy() {}

  public static void main(String[] args) {
    int n = CANDIDATES.size();
    double[] chunks = new double[n];
    double[] maxChunks = new double[n];
    double[][] newBytes = new double[n][Edit.values().length];
    double[][] newChunks = new double[n][Edit.values().length];
    double[][] worstNewBytes = new double[n][Edit.values().length];
    for (int seed = 1; seed <= SEEDS; seed++) {
      byte[] original = new byte[SIZE];
      new Random(seed).nextBytes(original);
      Cut[] before = new Cut[n];
      for (int c = 0; c < n; c++) {
        before[c] = cut(new Chunker(CANDIDATES.get(c)), original);
        chunks[c] += before[c].count;
        maxChunks[c] += before[c].maxLengthChunks;
      }
      for (Edit edit : Edit.values()) {
        byte[] edited = edit(original, edit, new Random(1000L * seed + edit.ordinal()));
        for (int c = 0; c < n; c++) {
          Cut after = cut(new Chunker(CANDIDATES.get(c)), edited);
          long fresh = 0;
          int freshChunks = 0;
          for (int i = 0; i < after.hashes.size(); i++) {
            if (!before[c].distinct.contains(after.hashes.get(i))) {
              fresh += after.lengths.get(i);
              freshChunks++;
            }
          }
          newBytes[c][edit.ordinal()] += fresh;
          newChunks[c][edit.ordinal()] += freshChunks;
          worstNewBytes[c][edit.ordinal()] = Math.max(worstNewBytes[c][edit.ordinal()], fresh);
        }
      }
      System.err.printf(Locale.ROOT, "seed %d of %d done%n", seed, SEEDS);
    }
    print(chunks, maxChunks, newBytes, newChunks, worstNewBytes);
    printDurableWrites(chunks, newBytes, newChunks);
  }

  private static void printDurableWrites(double[] chunks, double[][] newBytes,
      double[][] newChunks) {
    byte[] data = new byte[SIZE];
    new Random(1).nextBytes(data);
    System.out.printf(
        Locale.ROOT,
        "%nWriting %d MiB as one fsync'ed file per chunk under %s (best of 3):%n%n",
        SIZE / MIB,
        System.getProperty("java.io.tmpdir"));
    System.out.println("| min/avg/max | files | MB/s | ms |");
    System.out.println("|---|---|---|---|");
    int n = CANDIDATES.size();
    double[] files = new double[n];
    double[] millis = new double[n];
    for (int c = 0; c < n; c++) {
      ChunkerParams p = CANDIDATES.get(c);
      Cut cut = cut(new Chunker(p), data);
      double rate = 0;
      for (int round = 0; round < 3; round++) {
        rate = Math.max(rate, durableWriteMbPerSecond(data, cut.lengths));
      }
      files[c] = cut.count;
      millis[c] = SIZE / 1e3 / rate;
      System.out.printf(Locale.ROOT, "| %s/%s/%s | %d | %.0f | %.0f |%n",
          size(p.min()), size(p.avg()), size(p.max()), cut.count, rate, millis[c]);
    }
    // Least squares: time = bytes / bandwidth + files * perFile.
    double meanFiles = Arrays.stream(files).average().orElseThrow();
    double meanMillis = Arrays.stream(millis).average().orElseThrow();
    double cov = 0;
    double var = 0;
    for (int c = 0; c < n; c++) {
      cov += (files[c] - meanFiles) * (millis[c] - meanMillis);
      var += (files[c] - meanFiles) * (files[c] - meanFiles);
    }
    double perFile = cov / var;
    double streaming = meanMillis - perFile * meanFiles;
    System.out.printf(
        Locale.ROOT,
        "%nFit: %.2f ms per file + %.0f MB/s, so one chunk costs as much as writing %s more.%n",
        perFile, SIZE / 1e3 / streaming, size(perFile / streaming * SIZE));

    // A file's life: written once, then k sessions of 8 scattered edits. Its cost counts bytes
    // written plus h bytes for each chunk (an fsync, an S3 request, a GC entry).
    int[] sessions = {1, 3, 10, 30, 100};
    double[] perChunk = {64 * KIB, 256 * KIB, 512 * KIB, MIB, 4 * MIB};
    System.out.printf(
        Locale.ROOT,
        "%nCheapest candidate for a %d MiB file written once and edited k times (8 scattered "
            + "edits each), when each chunk costs as much as h bytes of writing:%n%n",
        SIZE / MIB);
    StringBuilder header = new StringBuilder("| h \\ k |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int k : sessions) {
      header.append(' ').append(k).append(" |");
      rule.append("---|");
    }
    System.out.println(header);
    System.out.println(rule);
    double[] worstAll = new double[n];
    double[] worstCentral = new double[n];
    for (double h : perChunk) {
      StringBuilder row = new StringBuilder("| " + size(h) + " |");
      for (int k : sessions) {
        double[] cost = new double[n];
        int best = 0;
        for (int c = 0; c < n; c++) {
          Edit e = Edit.EIGHT_SCATTERED_EDITS;
          double session = (newBytes[c][e.ordinal()] + h * newChunks[c][e.ordinal()]) / SEEDS;
          cost[c] = SIZE + h * chunks[c] / SEEDS + k * session;
          best = cost[c] < cost[best] ? c : best;
        }
        row.append(' ').append(size(CANDIDATES.get(best).avg())).append(" |");
        boolean central = h >= 256 * KIB && h <= MIB && k <= 10;
        for (int c = 0; c < n; c++) {
          double extra = cost[c] / cost[best] - 1;
          worstAll[c] = Math.max(worstAll[c], extra);
          worstCentral[c] = central ? Math.max(worstCentral[c], extra) : worstCentral[c];
        }
      }
      System.out.println(row);
    }
    System.out.printf(
        Locale.ROOT,
        "%nEach candidate's worst extra cost over the cheapest: in the whole grid above, and "
            + "where h is 256 KiB to 1 MiB and k at most 10:%n%n");
    System.out.println("| min/avg/max | whole grid | h 256 KiB..1 MiB, k <= 10 |");
    System.out.println("|---|---|---|");
    for (int c = 0; c < n; c++) {
      ChunkerParams p = CANDIDATES.get(c);
      System.out.printf(Locale.ROOT, "| %s/%s/%s | +%.0f%% | +%.0f%% |%n",
          size(p.min()), size(p.avg()), size(p.max()), 100 * worstAll[c], 100 * worstCentral[c]);
    }
  }

  private static double durableWriteMbPerSecond(byte[] data, List<Integer> lengths) {
    try {
      Path dir = Files.createTempDirectory("cairn-chunk-study");
      try {
        long start = System.nanoTime();
        int off = 0;
        for (int i = 0; i < lengths.size(); i++) {
          int n = lengths.get(i);
          try (FileChannel ch =
              FileChannel.open(
                  dir.resolve("c" + i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data, off, n);
            while (buf.hasRemaining()) {
              ch.write(buf);
            }
            ch.force(true);
          }
          off += n;
        }
        long nanos = System.nanoTime() - start;
        return data.length / 1e6 / (nanos / 1e9);
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(
      double[] chunks,
      double[] maxChunks,
      double[][] newBytes,
      double[][] newChunks,
      double[][] worstNewBytes) {
    System.out.printf(
        Locale.ROOT,
        "Means over %d seeds of %d MiB random bytes. New = bytes (and chunks) of the edited file "
            + "in chunks the original lacks; shared = the rest, as a share of the edited file; "
            + "worst = the share for the seed with the most new bytes.%n%n",
        SEEDS,
        SIZE / MIB);
    System.out.println(
        "| min/avg/max | chunks | mean chunk | cut at max "
            + "| insert 1 KiB: new (chunks), shared, worst "
            + "| 8 scattered edits: new (chunks), shared, worst | append 1 MiB: new (chunks) "
            + "| blocklist |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (int c = 0; c < CANDIDATES.size(); c++) {
      ChunkerParams p = CANDIDATES.get(c);
      double count = chunks[c] / SEEDS;
      StringBuilder row = new StringBuilder();
      row.append(String.format(Locale.ROOT, "| %s/%s/%s | %.1f | %s | %.1f ",
          size(p.min()), size(p.avg()), size(p.max()), count, size(SIZE / count),
          maxChunks[c] / SEEDS));
      for (Edit edit : Edit.values()) {
        double fresh = newBytes[c][edit.ordinal()] / SEEDS;
        double freshChunks = newChunks[c][edit.ordinal()] / SEEDS;
        row.append(String.format(Locale.ROOT, "| %s (%.1f)", size(fresh), freshChunks));
        if (edit != Edit.APPEND_1MIB) {
          long editedSize = SIZE + (edit == Edit.INSERT_1KIB_MIDDLE ? KIB : 0);
          double worst = worstNewBytes[c][edit.ordinal()];
          row.append(String.format(Locale.ROOT, ", %.2f%%, %.2f%%",
              100 * (1 - fresh / editedSize), 100 * (1 - worst / editedSize)));
        }
        row.append(' ');
      }
      row.append(String.format(Locale.ROOT, "| %s |", size(36 * count)));
      System.out.println(row);
    }
  }

  private static String size(double bytes) {
    if (bytes >= MIB) {
      return String.format(Locale.ROOT, "%.2f MiB", bytes / MIB).replace(".00 ", " ");
    }
    return String.format(Locale.ROOT, "%.0f KiB", bytes / KIB);
  }

  private static byte[] edit(byte[] original, Edit edit, Random random) {
    return switch (edit) {
      case INSERT_1KIB_MIDDLE -> splice(original, SIZE / 2, 0, randomBytes(random, KIB));
      case APPEND_1MIB -> splice(original, SIZE, 0, randomBytes(random, MIB));
      case EIGHT_SCATTERED_EDITS -> {
        // As a user edits a document: overwrite, insert or delete 1..100 bytes in 8 places.
        byte[] data = original;
        for (int i = 0; i < 8; i++) {
          int at = random.nextInt(data.length - 100);
          int n = 1 + random.nextInt(100);
          data = switch (random.nextInt(3)) {
            case 0 -> splice(data, at, n, randomBytes(random, n));
            case 1 -> splice(data, at, 0, randomBytes(random, n));
            default -> splice(data, at, n, new byte[0]);
          };
        }
        yield data;
      }
    };
  }

  /** {@code data} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
  private static byte[] splice(byte[] data, int at, int removed, byte[] inserted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + inserted.length);
    out.write(data, 0, at);
    out.writeBytes(inserted);
    out.write(data, at + removed, data.length - at - removed);
    return out.toByteArray();
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private record Cut(
      int count, int maxLengthChunks, List<ChunkHash> hashes, List<Integer> lengths,
      Set<ChunkHash> distinct) {}

  private static Cut cut(Chunker chunker, byte[] data) {
    List<ChunkHash> hashes = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    int atMax = 0;
    for (int off = 0; off < data.length; ) {
      int n = chunker.cut(data, off, data.length - off);
      hashes.add(ChunkHash.sha256(data, off, n));
      lengths.add(n);
      if (n == chunker.params().max()) {
        atMax++;
      }
      off += n;
    }
    return new Cut(hashes.size(), atMax, hashes, lengths, new HashSet<>(hashes));
  }
}
