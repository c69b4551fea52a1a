package io.cairn.server;

import io.cairn.core.ChunkHash;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Concurrent WebDAV PUTs into admin's home, new files and overwrites of a few shared paths, with a
 * ledger of every request: the SHA-256 of what was sent and what the server answered. Contents
 * range from a few bytes to several MiB; some are made of blocks of a shared pool, so that they
 * share chunks with each other (and with whatever else was built from the pool).
 */
final class UploadLoad {
  /** What became of one PUT. */
  enum Outcome {
    /** A 2xx: the server says it is stored. */
    ACKED,
    /** Another status: the server says it is not. */
    REFUSED,
    /** The connection broke before an answer: it may or may not be stored. */
    CUT,
    /** The connection was refused: nothing was sent. */
    NOT_SENT
  }

  /** One PUT: its path, content, when it started and ended (System.nanoTime), and its outcome. */
  record Attempt(String path, String sha256, int size, long started, long ended, Outcome outcome, int status) {}

  static final int POOL_BLOCK = 1 << 20;
  static final int RETRIES_ON_503 = 3;
  /** How many answers were 503 (each sent again while retries were left). */
  final java.util.concurrent.atomic.AtomicLong retried503 = new java.util.concurrent.atomic.AtomicLong();
  final byte[][] pool;
  final ConcurrentLinkedQueue<Attempt> ledger = new ConcurrentLinkedQueue<>();
  private final int sharedPaths;
  private final int pooledPercent;
  private volatile boolean stopped;

  /**
   * {@code poolBlocks} blocks of 1 MiB from {@code seed}; overwrites go to {@code sharedPaths}
   * paths; {@code pooledPercent} of the contents are made of pool blocks.
   */
  UploadLoad(long seed, int poolBlocks, int sharedPaths, int pooledPercent) {
    Random r = new Random(seed);
    pool = new byte[poolBlocks][POOL_BLOCK];
    for (byte[] b : pool) {
      r.nextBytes(b);
    }
    this.sharedPaths = sharedPaths;
    this.pooledPercent = pooledPercent;
  }

  /** Clients notice at their next request and end; those mid-request end when it does. */
  void stop() {
    stopped = true;
  }

  /** Undoes {@link #stop()} for the next {@link #run}. */
  void resume() {
    stopped = false;
  }

  /** A content: small or medium and unique, or ({@code pooledPercent}) built from pool blocks, up to 4 MiB. */
  byte[] content(Random r) {
    if (r.nextInt(100) >= pooledPercent) {
      byte[] b = new byte[r.nextBoolean() ? 1 + r.nextInt(4096) : 8192 + r.nextInt(256 * 1024)];
      r.nextBytes(b);
      return b;
    }
    int blocks = 1 + r.nextInt(Math.min(4, pool.length));
    byte[] unique = new byte[r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(32 * 1024)];
    r.nextBytes(unique);
    byte[] b = new byte[blocks * POOL_BLOCK + unique.length];
    for (int i = 0; i < blocks; i++) {
      System.arraycopy(pool[r.nextInt(pool.length)], 0, b, i * POOL_BLOCK, POOL_BLOCK);
    }
    System.arraycopy(unique, 0, b, blocks * POOL_BLOCK, unique.length);
    return b;
  }

  /**
   * Runs {@code clients} clients on virtual threads against {@code url} (path to URL), each doing
   * at most {@code perClient} PUTs, half of them overwrites; returns once all ended or after
   * {@code limit} (then stopped and awaited for 60 s more).
   */
  void run(Function<String, String> url, String authorization, int clients, int perClient, long seed, Duration limit)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    long deadline = System.nanoTime() + limit.toNanos();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        threads.submit(() -> {
          Random r = new Random(seed * 1_000 + client);
          for (int k = 0; k < perClient && !stopped && System.nanoTime() < deadline; k++) {
            String path = r.nextBoolean() ? "/shared-" + r.nextInt(sharedPaths) + ".bin" : "/new-" + client + "-" + k + ".bin";
            put(http, url.apply(path), authorization, path, content(r));
          }
          return null;
        });
      }
      threads.shutdown();
      if (!threads.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        stop();
        if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
          throw new AssertionError("clients still running 60 s after the stop");
        }
      }
    } finally {
      http.close();
    }
  }

  /**
   * One PUT, sent again (at most {@link #RETRIES_ON_503} times) when answered 503, as clients do:
   * the server committed nothing then (say garbage collection deleted a chunk the upload relied
   * on, ADR 0015). The ledger has one attempt from the first send to the last answer.
   */
  private void put(HttpClient http, String url, String authorization, String path, byte[] body) {
    String sha = ChunkHash.sha256(body).hex();
    long started = System.nanoTime();
    Outcome outcome;
    int status = 0;
    try {
      for (int sent = 0; sent <= RETRIES_ON_503 && (sent == 0 || status == 503); sent++) {
        HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        status = res.statusCode();
        if (status == 503) {
          retried503.incrementAndGet();
        }
      }
      outcome = status / 100 == 2 ? Outcome.ACKED : Outcome.REFUSED;
    } catch (ConnectException e) {
      outcome = Outcome.NOT_SENT;
    } catch (IOException e) {
      outcome = Outcome.CUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Outcome.CUT;
    }
    ledger.add(new Attempt(path, sha, body.length, started, System.nanoTime(), outcome, status));
  }

  /** How many attempts had {@code outcome}. */
  long count(Outcome outcome) {
    return ledger.stream().filter(a -> a.outcome() == outcome).count();
  }

  /** The attempts so far, in no particular order. */
  List<Attempt> attempts() {
    return new ArrayList<>(ledger);
  }
}
