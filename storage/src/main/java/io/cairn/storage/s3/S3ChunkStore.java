package io.cairn.storage.s3;

import io.cairn.core.CairnException.Kind;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.StoredChunk;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsV2Args;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.minio.messages.ListBucketResultV2;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

/**
 * A {@link ChunkStore} in an S3 bucket (MinIO, AWS, any S3-compatible server) through minio-java's
 * {@link MinioAsyncClient}. Each chunk is one object, {@code PREFIX/ab/cd/<hex>}; since S3 lists
 * keys in byte order and the fan-out folders are prefixes of the hex name, a listing comes back in
 * ascending hash order.
 *
 * <p>A put checks the bytes against their name first, then skips the upload when the object exists
 * (content addressing makes a second upload of the same bytes harmless, so two racing puts of one
 * chunk may both report it as new). The upload carries a CRC32C (and, over plain HTTP, the signed
 * SHA-256 of its payload) for the server to check. A successful S3 PUT is durable by S3's contract.
 * A whole-chunk get verifies the bytes it received (INTERNAL on mismatch).
 *
 * <p>Transient failures (I/O errors, HTTP 5xx, throttling) are retried with exponential backoff up
 * to {@link S3Config#maxAttempts()} tries, then fail TRANSIENT; a missing key is NOT_FOUND at once.
 * Requests and blocking body reads run on virtual threads; results come back on the caller's Vert.x
 * context.
 */
public final class S3ChunkStore implements ChunkStore {
  private static final int LIST_PAGE_MAX = 1000;

  private final S3Config config;
  private final S3Keys keys;
  private final ExecutorService virtualThreads;

  /** Runs tasks on virtual threads, or inline once the store is closed, so none is ever lost. */
  private final Executor executor;

  private final OkHttpClient http;
  private final MinioAsyncClient client;
  private final S3Retry retry;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3ChunkStore(S3Config config) {
    this.config = config;
    this.keys = new S3Keys(config.prefix());
    this.virtualThreads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-s3-", 0).factory());
    this.executor =
        task -> {
          try {
            virtualThreads.execute(task);
          } catch (RejectedExecutionException e) {
            task.run();
          }
        };
    this.http = S3Clients.http(config, virtualThreads);
    this.client = S3Clients.minio(config, http);
    this.retry =
        new S3Retry(config.maxAttempts(), config.initialBackoff(), config.maxBackoff(), executor);
  }

  /**
   * Connects to the bucket, creating it when missing. Fails INTERNAL for a configuration without
   * credentials or one S3 refuses, TRANSIENT when S3 cannot be reached after the retries.
   */
  public static Future<S3ChunkStore> open(S3Config config) {
    if (config.accessKey() == null || config.secretKey() == null) {
      return Future.failedFuture(
          new CairnException(
              Kind.INTERNAL,
              "no S3 credentials for bucket "
                  + config.bucket()
                  + ": give ACCESS:SECRET in the"
                  + " URI's user-info or set "
                  + S3Config.ACCESS_KEY_ENV
                  + " and "
                  + S3Config.SECRET_KEY_ENV));
    }
    // Built on a virtual thread: the HTTP client loads the JDK's trust store when it is made.
    return toVertx(
        CompletableFuture.supplyAsync(
                () -> new S3ChunkStore(config), task -> Thread.ofVirtual().start(task))
            .thenCompose(S3ChunkStore::connect));
  }

  /** Makes sure the bucket is there; a store that cannot reach it is closed again. */
  private static CompletableFuture<S3ChunkStore> connect(S3ChunkStore store) {
    return store
        .ensureBucket()
        .handle(
            (done, e) -> {
              if (e != null) {
                store.close();
                throw new CompletionException(e);
              }
              return store;
            });
  }

  /** Opens the store a {@code s3://} URI names (see {@link S3Config}). */
  public static Future<S3ChunkStore> open(URI uri) {
    try {
      return open(S3Config.fromUri(uri));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new CairnException(Kind.INTERNAL, "bad S3 URI: " + e.getMessage(), e));
    }
  }

  /** The configuration this store was opened with. */
  public S3Config config() {
    return config;
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    Future<Boolean> refused = refused(hash == null || data == null, "put needs a hash and data");
    if (refused != null) {
      return refused;
    }
    return toVertx(
        CompletableFuture.supplyAsync(() -> verified(hash, data), executor)
            .thenCompose(bytes -> lastModified(hash).thenCompose(at -> storeOrRefresh(hash, bytes, at))));
  }

  /** A plain PUT of the verified bytes: S3 replaces an object whole, never in part. */
  @Override
  public Future<Void> replace(ChunkHash hash, Buffer data) {
    Future<Void> refused = refused(hash == null || data == null, "replace needs a hash and data");
    if (refused != null) {
      return refused;
    }
    return toVertx(CompletableFuture.supplyAsync(() -> verified(hash, data), executor).thenCompose(bytes -> upload(hash, bytes)));
  }

  /**
   * Uploads a chunk that is absent; uploads a present one again, which is S3's only way to set its
   * last-modified time, when that is older than {@link #REFRESH_AFTER} (ADR 0012).
   */
  private CompletableFuture<Boolean> storeOrRefresh(ChunkHash hash, byte[] bytes, Instant storedAt) {
    if (storedAt == null) {
      return upload(hash, bytes).thenApply(done -> true);
    }
    if (storedAt.isBefore(Instant.now().minus(REFRESH_AFTER))) {
      return upload(hash, bytes).thenApply(done -> false);
    }
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public Future<Buffer> get(ChunkHash hash) {
    Future<Buffer> refused = refused(hash == null, "get needs a hash");
    if (refused != null) {
      return refused;
    }
    String what = "get chunk " + hash;
    return toVertx(
        retry
            .run(
                what,
                () -> read(GetObjectArgs.builder().bucket(config.bucket()).object(keys.key(hash))))
            .thenApply(bytes -> checked(hash, bytes)));
  }

  @Override
  public Future<Buffer> get(ChunkHash hash, long offset, long length) {
    Future<Buffer> refused =
        refused(
            hash == null || offset < 0 || length < 0,
            "get needs a hash, offset >= 0 and length >= 0");
    if (refused != null) {
      return refused;
    }
    if (length == 0) {
      return toVertx(exists(hash).thenApply(present -> emptyIfPresent(present, hash)));
    }
    // Long.MAX_VALUE means "to the end"; keep the Range header's last byte from overflowing.
    long capped = Math.min(length, Long.MAX_VALUE - offset);
    String what = "get range of chunk " + hash;
    // S3 answers 416 for a range starting at or past the end: "fewer bytes", if the chunk exists.
    CompletableFuture<byte[]> range =
        retry.run(
            what,
            () ->
                read(GetObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(keys.key(hash))
                        .offset(offset)
                        .length(capped))
                    .exceptionally(
                        e -> {
                          if (S3Errors.isInvalidRange(e)) {
                            return null;
                          }
                          throw new CompletionException(S3Errors.unwrap(e));
                        }));
    return toVertx(
        range.thenCompose(
            bytes ->
                bytes != null
                    ? CompletableFuture.completedFuture(Buffer.buffer(bytes))
                    : exists(hash).thenApply(present -> emptyIfPresent(present, hash))));
  }

  @Override
  public Future<Set<ChunkHash>> missing(Collection<ChunkHash> hashes) {
    Future<Set<ChunkHash>> refused =
        refused(
            hashes == null || hashes.stream().anyMatch(Objects::isNull),
            "missing needs a collection of hashes without nulls");
    if (refused != null) {
      return refused;
    }
    Iterator<ChunkHash> queue = new LinkedHashSet<>(hashes).iterator();
    Set<ChunkHash> absent = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int i = 0; i < config.concurrency(); i++) {
      workers.add(statNext(queue, absent));
    }
    return toVertx(
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
            .thenApply(done -> Set.copyOf(absent)));
  }

  @Override
  public Future<Void> delete(ChunkHash hash) {
    Future<Void> refused = refused(hash == null, "delete needs a hash");
    if (refused != null) {
      return refused;
    }
    String what = "delete chunk " + hash;
    return toVertx(
        retry.run(
            what,
            () ->
                client
                    .removeObject(
                        RemoveObjectArgs.builder()
                            .bucket(config.bucket())
                            .object(keys.key(hash))
                            .build())
                    .exceptionally(
                        e -> {
                          if (S3Errors.isNoSuchKey(e)) {
                            return null;
                          }
                          throw new CompletionException(S3Errors.unwrap(e));
                        })));
  }

  @Override
  public Future<Boolean> deleteIfNotModifiedAfter(ChunkHash hash, Instant notAfter) {
    Future<Boolean> refused = refused(hash == null || notAfter == null, "deleteIfNotModifiedAfter needs a hash and a time");
    if (refused != null) {
      return refused;
    }
    return toVertx(lastModified(hash).thenCompose(at -> at == null || at.isAfter(notAfter)
        ? CompletableFuture.completedFuture(false)
        : toCompletable(delete(hash)).thenApply(done -> true)));
  }

  private static <T> CompletableFuture<T> toCompletable(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture();
  }

  @Override
  public Future<List<StoredChunk>> listStored(ChunkHash after, int limit) {
    Future<List<StoredChunk>> refused = refused(limit <= 0, "list needs a limit > 0");
    if (refused != null) {
      return refused;
    }
    String startAfter = after == null ? null : keys.key(after);
    return toVertx(listFrom(startAfter, after, limit, new ArrayList<>(Math.min(limit, 1024))));
  }

  @Override
  public String backend() {
    return "s3";
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.dispatcher().cancelAll();
    virtualThreads.shutdown();
    http.connectionPool().evictAll();
  }

  private CompletableFuture<Void> ensureBucket() {
    String bucket = config.bucket();
    return retry
        .run(
            "check bucket " + bucket,
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
        .thenCompose(exists -> exists ? CompletableFuture.completedFuture(null) : createBucket());
  }

  /** Creates the bucket; one created meanwhile by another node is just as good. */
  private CompletableFuture<Void> createBucket() {
    String bucket = config.bucket();
    return retry.run(
        "create bucket " + bucket,
        () ->
            client
                .makeBucket(MakeBucketArgs.builder().bucket(bucket).build())
                .handle(
                    (created, e) -> {
                      if (e != null && !S3Errors.isBucketTaken(e)) {
                        throw new CompletionException(S3Errors.unwrap(e));
                      }
                      return null;
                    }));
  }

  /** Whether the chunk's object exists; a missing key is an answer, not a failure. */
  private CompletableFuture<Boolean> exists(ChunkHash hash) {
    return lastModified(hash).thenApply(Objects::nonNull);
  }

  /** When the chunk's object was last written; null when there is none. */
  private CompletableFuture<Instant> lastModified(ChunkHash hash) {
    return retry.run(
        "check chunk " + hash,
        () ->
            client
                .statObject(
                    StatObjectArgs.builder().bucket(config.bucket()).object(keys.key(hash)).build())
                .handle(
                    (stat, e) -> {
                      if (e == null) {
                        return stat.lastModified().toInstant();
                      }
                      if (S3Errors.isNoSuchKey(e)) {
                        return null;
                      }
                      throw new CompletionException(S3Errors.unwrap(e));
                    }));
  }

  private CompletableFuture<Void> statNext(Iterator<ChunkHash> queue, Set<ChunkHash> absent) {
    ChunkHash next;
    synchronized (queue) {
      next = queue.hasNext() ? queue.next() : null;
    }
    if (next == null) {
      return CompletableFuture.completedFuture(null);
    }
    return exists(next)
        .thenCompose(
            present -> {
              if (!present) {
                absent.add(next);
              }
              return statNext(queue, absent);
            });
  }

  private CompletableFuture<Void> upload(ChunkHash hash, byte[] bytes) {
    return retry.run(
        "put chunk " + hash,
        () ->
            client
                .putObject(
                    PutObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(keys.key(hash))
                        .data(bytes, bytes.length)
                        .contentType("application/octet-stream")
                        .build())
                .thenApply(response -> null));
  }

  /** Starts a GET and reads its body on a virtual thread (the body stream blocks). */
  private CompletableFuture<byte[]> read(GetObjectArgs.Builder args) {
    return client.getObject(args.build()).thenApplyAsync(S3ChunkStore::readAll, executor);
  }

  private static byte[] readAll(GetObjectResponse response) {
    try (response) {
      return response.readAllBytes();
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private CompletableFuture<List<StoredChunk>> listFrom(
      String startAfter, ChunkHash after, int limit, List<StoredChunk> out) {
    int want = Math.min(LIST_PAGE_MAX, limit - out.size());
    return retry
        .run(
            "list chunks",
            () ->
                client.listObjectsV2(
                    ListObjectsV2Args.builder()
                        .bucket(config.bucket())
                        .prefix(keys.prefix())
                        .startAfter(startAfter)
                        .maxKeys(want)
                        .build()))
        .thenCompose(
            response -> {
              ListBucketResultV2 result = response.result();
              String lastKey = null;
              for (Item item : result.contents()) {
                lastKey = item.objectName();
                ChunkHash hash = keys.chunkOf(lastKey);
                if (hash != null && (after == null || hash.compareTo(after) > 0)) {
                  out.add(new StoredChunk(hash, item.size(), item.lastModified().toInstant()));
                  if (out.size() == limit) {
                    return CompletableFuture.completedFuture(out);
                  }
                }
              }
              // Foreign keys under the prefix are skipped, so a page may yield fewer than asked.
              return result.isTruncated() && lastKey != null
                  ? listFrom(lastKey, after, limit, out)
                  : CompletableFuture.completedFuture(out);
            });
  }

  private static byte[] verified(ChunkHash hash, Buffer data) {
    byte[] bytes = data.getBytes();
    ChunkHash actual = ChunkHash.sha256(bytes);
    if (!actual.equals(hash)) {
      throw new CairnException(
          Kind.INTERNAL,
          "chunk bytes do not match their name " + hash + " (they hash to " + actual + ")");
    }
    return bytes;
  }

  private static Buffer checked(ChunkHash hash, byte[] bytes) {
    ChunkHash actual = ChunkHash.sha256(bytes);
    if (!actual.equals(hash)) {
      throw new CairnException(
          Kind.DAMAGED, "chunk " + hash + " is corrupt in S3 (its bytes hash to " + actual + ")");
    }
    return Buffer.buffer(bytes);
  }

  private static Buffer emptyIfPresent(boolean present, ChunkHash hash) {
    if (!present) {
      throw CairnException.notFound("get range of chunk " + hash + ": no such chunk");
    }
    return Buffer.buffer();
  }

  /** A failure when the store is closed or {@code badArguments} holds; null to go ahead. */
  private <T> Future<T> refused(boolean badArguments, String usage) {
    if (closed.get()) {
      return Future.failedFuture(
          new CairnException(Kind.INTERNAL, "the S3 chunk store is closed"));
    }
    if (badArguments) {
      return Future.failedFuture(new CairnException(Kind.INTERNAL, "bad argument: " + usage));
    }
    return null;
  }

  /**
   * The one bridge from minio's CompletableFutures to Vert.x: every failure becomes a
   * CairnException, and handlers run on the caller's Vert.x context when there is one.
   */
  private static <T> Future<T> toVertx(CompletableFuture<T> future) {
    Context context = Vertx.currentContext();
    CompletableFuture<T> mapped = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            mapped.complete(value);
          } else {
            mapped.completeExceptionally(S3Errors.toStorage("S3 chunk store", failure, 1));
          }
        });
    return context == null
        ? Future.fromCompletionStage(mapped)
        : Future.fromCompletionStage(mapped, context);
  }
}
