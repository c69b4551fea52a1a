package io.cairn.bench;

import io.cairn.core.ChunkHash;
import io.cairn.core.chunk.Chunk;
import io.cairn.core.chunk.ChunkStream;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ParallelChunkStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The chunker's speed on 64 MiB of random bytes in memory, one thread. Each invocation processes
 * the whole 64 MiB and counts as 64 operations, so JMH's {@code ops/s} are MiB/s.
 *
 * <ul>
 *   <li>{@code cut}: finding the cut points alone ({@link Chunker#cut}).
 *   <li>{@code hash}: SHA-256 of the same bytes in the same chunk-size pieces, no cutting.
 *   <li>{@code cutAndHash}: both, in place, as one thread that cuts and hashes would.
 *   <li>{@code streamBytes}: {@link ChunkStream#nextBytes()} over an in-memory input: cutting
 *       plus reading and copying each chunk into its own array.
 *   <li>{@code stream}: {@link ChunkStream#next()}: the whole path, copy and hash included.
 *   <li>{@code streamParallel}: {@link ParallelChunkStream}: the benchmark thread reads and cuts
 *       while {@code hashThreads} threads hash; only meaningful with that many idle cores.
 * </ul>
 *
 * <p>Run with bench/chunker.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ChunkerBench {
  static final int MIB = 1 << 20;
  static final int DATA_MIB = 64;

  private final Chunker chunker = Chunker.DEFAULT;
  private byte[] data;
  private int[] lengths;
  private ExecutorService hashers;

  /** Threads hashing for {@code streamParallel}. */
  @Param({"2"})
  public int hashThreads;

  @Setup
  public void setup() {
    data = new byte[DATA_MIB * MIB];
    new Random(20200901).nextBytes(data);
    int count = 0;
    int[] found = new int[data.length / chunker.params().min() + 1];
    for (int off = 0; off < data.length; off += found[count++]) {
      found[count] = chunker.cut(data, off, data.length - off);
    }
    lengths = Arrays.copyOf(found, count);
    hashers = Executors.newFixedThreadPool(hashThreads);
  }

  @TearDown
  public void tearDown() {
    hashers.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public int cut() {
    int chunks = 0;
    for (int off = 0; off < data.length; chunks++) {
      off += chunker.cut(data, off, data.length - off);
    }
    return chunks;
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public void hash(Blackhole bh) {
    int off = 0;
    for (int n : lengths) {
      bh.consume(ChunkHash.sha256(data, off, n));
      off += n;
    }
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public void cutAndHash(Blackhole bh) {
    for (int off = 0; off < data.length; ) {
      int n = chunker.cut(data, off, data.length - off);
      bh.consume(ChunkHash.sha256(data, off, n));
      off += n;
    }
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public void streamBytes(Blackhole bh) throws IOException {
    try (ChunkStream chunks = chunker.stream(new ByteArrayInputStream(data))) {
      for (byte[] b = chunks.nextBytes(); b != null; b = chunks.nextBytes()) {
        bh.consume(b);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public void stream(Blackhole bh) throws IOException {
    try (ChunkStream chunks = chunker.stream(new ByteArrayInputStream(data))) {
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        bh.consume(c);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(DATA_MIB)
  public void streamParallel(Blackhole bh) throws IOException {
    try (ParallelChunkStream chunks =
        new ParallelChunkStream(
            chunker.stream(new ByteArrayInputStream(data)), hashers, hashThreads + 1)) {
      for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
        bh.consume(c);
      }
    }
  }
}
