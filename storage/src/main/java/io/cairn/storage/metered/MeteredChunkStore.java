package io.cairn.storage.metered;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkFileRange;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.LocalChunkFiles;
import io.cairn.storage.StoredChunk;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Any {@link ChunkStore} with metrics, labelled by its {@link ChunkStore#backend()}:
 *
 * <ul>
 *   <li>{@code cairn_chunkstore_operation_duration_seconds{backend,op,outcome}}: a histogram of
 *       every call (op: put, get, open, missing, delete, list; outcome: ok or the failure's kind),
 *       whose {@code _count} counts puts and gets; {@code open} is {@link LocalChunkFiles#open},
 *       a read that hands out the chunk's file instead of its bytes;
 *   <li>{@code cairn_chunkstore_put_bytes_total{backend,result}}: bytes handed to {@code put},
 *       result {@code new} (stored) or {@code present} (deduplicated);
 *   <li>{@code cairn_chunkstore_get_bytes_total{backend}}: bytes returned by {@code get}, and the
 *       lengths of the file ranges {@code open} hands out (the bytes a reader sends from them).
 * </ul>
 *
 * Behaviour is the wrapped store's, unchanged: results and failures pass through. Build it with
 * {@link #of}, which keeps the {@link LocalChunkFiles} capability of a store that has it.
 */
public class MeteredChunkStore implements ChunkStore {
  static final String DURATION = "cairn.chunkstore.operation.duration";
  static final String PUT_BYTES = "cairn.chunkstore.put.bytes";
  static final String GET_BYTES = "cairn.chunkstore.get.bytes";

  private final ChunkStore store;
  private final MeterRegistry registry;
  private final String backend;
  private final Counter newBytes;
  private final Counter presentBytes;
  private final Counter readBytes;

  /**
   * {@code store} with metrics in {@code registry}; also a {@link LocalChunkFiles} when {@code
   * store} is one.
   */
  public static MeteredChunkStore of(ChunkStore store, MeterRegistry registry) {
    return store instanceof LocalChunkFiles
        ? new WithFiles(store, registry)
        : new MeteredChunkStore(store, registry);
  }

  /** Meters {@code store} without passing on optional capabilities; {@link #of} keeps them. */
  public MeteredChunkStore(ChunkStore store, MeterRegistry registry) {
    this.store = Objects.requireNonNull(store, "store");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.backend = store.backend();
    this.newBytes = bytes(PUT_BYTES, "new", "Bytes of chunks handed to put, by whether they were new");
    this.presentBytes = bytes(PUT_BYTES, "present", "Bytes of chunks handed to put, by whether they were new");
    this.readBytes =
        Counter.builder(GET_BYTES)
            .baseUnit("bytes")
            .description("Bytes of chunks read")
            .tag("backend", backend)
            .register(registry);
    for (String op : List.of("put", "get", "missing")) {
      timer(op, Outcome.OK);
    }
  }

  private Counter bytes(String name, String result, String description) {
    return Counter.builder(name)
        .baseUnit("bytes")
        .description(description)
        .tags("backend", backend, "result", result)
        .register(registry);
  }

  /** One timer series; its meter is looked up once, not built again on every call. */
  private record Series(String op, String outcome) {}

  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  private Timer timer(String op, String outcome) {
    return timers.computeIfAbsent(new Series(op, outcome), s -> LatencyBuckets.storage(Timer.builder(DURATION)
        .description("Chunk store calls, by operation and outcome")
        .tags("backend", backend, "op", op, "outcome", outcome))
        .register(registry));
  }

  private <T> Future<T> timed(String op, Future<T> call, long start) {
    return call.andThen(
        ar -> timer(op, Outcome.of(ar.cause())).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    long start = System.nanoTime();
    return counted(data.length(), timed("put", store.put(hash, data), start));
  }

  @Override
  public Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    long start = System.nanoTime();
    return counted(data.length(), timed("put", store.putHashedHere(hash, data), start));
  }

  @Override
  public Future<Void> replace(ChunkHash hash, Buffer data) {
    long start = System.nanoTime();
    return timed("replace", store.replace(hash, data), start);
  }

  private Future<Boolean> counted(int length, Future<Boolean> put) {
    return put
        .andThen(ar -> {
          if (ar.succeeded()) {
            (Boolean.TRUE.equals(ar.result()) ? newBytes : presentBytes).increment(length);
          }
        });
  }

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    long start = System.nanoTime();
    return timed("get", store.get(hash), start).andThen(this::countRead);
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    long start = System.nanoTime();
    return timed("get", store.get(hash, offset, length), start).andThen(this::countRead);
  }

  private void countRead(AsyncResult<Buffer> ar) {
    if (ar.succeeded() && ar.result() != null) {
      readBytes.increment(ar.result().length());
    }
  }

  /** The metered store of a {@link LocalChunkFiles} backend: opens are timed and counted too. */
  private static final class WithFiles extends MeteredChunkStore implements LocalChunkFiles {
    private final LocalChunkFiles files;

    WithFiles(ChunkStore store, MeterRegistry registry) {
      super(store, registry);
      this.files = (LocalChunkFiles) store;
      super.timer("open", Outcome.OK);
    }

    @Override
    public Future<ChunkFileRange> open(ChunkHash hash, long offset, long length) {
      long start = System.nanoTime();
      return super.timed("open", files.open(hash, offset, length), start)
          .andThen(
              ar -> {
                if (ar.succeeded() && ar.result() != null) {
                  super.readBytes.increment(ar.result().length());
                }
              });
    }
  }

  @Override
  public Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes) {
    long start = System.nanoTime();
    return timed("missing", store.missing(hashes), start);
  }

  @Override
  public Future<Void> delete(ChunkHash hash) {
    long start = System.nanoTime();
    return timed("delete", store.delete(hash), start);
  }

  @Override
  public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, java.time.Instant notAfter) {
    long start = System.nanoTime();
    return timed("delete", store.deleteIfNotModifiedAfter(hash, notAfter), start);
  }

  @Override
  public Future<List<StoredChunk>> listStored(ChunkHash after, int limit) {
    long start = System.nanoTime();
    return timed("list", store.listStored(after, limit), start);
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public void close() {
    store.close();
  }
}
