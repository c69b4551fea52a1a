package io.cairn.server;

import io.cairn.cluster.cache.CacheStats;
import io.cairn.cluster.cache.CachingJournal;
import io.cairn.cluster.lock.HazelcastLockManager;
import io.cairn.cluster.lock.LocalLockManager;
import io.cairn.cluster.lock.LockManager;
import io.cairn.cluster.metered.MeteredLockManager;
import io.cairn.cluster.node.HazelcastSetup;
import io.cairn.server.metrics.ManagementServer;
import io.cairn.server.metrics.Readiness;
import io.cairn.server.metrics.Telemetry;
import io.cairn.server.admin.AdminApi;
import io.cairn.server.auth.Accounts;
import io.cairn.server.auth.AdminBootstrap;
import io.cairn.server.auth.StoreAuthenticator;
import io.cairn.server.cli.AdminCli;
import io.cairn.server.http.ConnectionLimits;
import io.cairn.server.http.EdgeMeters;
import io.cairn.server.http.EdgeRouter;
import io.cairn.server.http.HttpEdge;
import io.cairn.storage.users.UserStore;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.cache.CachingChunkStore;
import io.cairn.storage.metered.CacheMeters;
import io.cairn.storage.metered.MeteredChunkStore;
import io.cairn.storage.metered.MeteredJournal;
import io.cairn.webdav.CairnDav;
import io.cairn.files.QuotaPolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn node: Vert.x, the storage backends the configuration names, the WebDAV front
 * door with class 2 locks, and the HTTP server; a single node keeps its locks in this process
 * ({@link LocalLockManager}), a clustered one starts Vert.x on Hazelcast, keeps them in the cluster
 * ({@link HazelcastLockManager}) and puts a near-cache before the journal ({@link
 * CachingJournal}); metrics, health and readiness on the management port ({@link Telemetry}, {@link
 * ManagementServer}). {@link #close()} is the graceful shutdown SIGTERM triggers: stop
 * accepting, let requests in progress finish within the grace period, then close the backends.
 */
public final class CairnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);
  /** Cached entries and listing pages per namespace on a clustered node. */
  private static final int CACHE_CAPACITY = 100_000;
  /** The largest chunk the small-chunk cache keeps: a small file's only chunk. */
  private static final int CHUNK_CACHE_MAX = 64 << 10;

  private final ServerConfig config;
  private final Vertx vertx;
  private final Journal journal;
  private final ChunkStore chunks;
  private final CairnDav dav;
  private final HttpServer http;
  private final Telemetry telemetry;
  private final HttpServer management;
  private final UserStore users;
  private final Accounts accounts;
  private final StoreAuthenticator authenticator;
  private final ExecutorService adminRequests;
  private final AccessLogWriter accessLog;
  private boolean closed;

  private CairnServer(
      ServerConfig config,
      Vertx vertx,
      Journal journal,
      ChunkStore chunks,
      CairnDav dav,
      HttpServer http,
      Telemetry telemetry,
      HttpServer management,
      UserStore users,
      Accounts accounts,
      StoreAuthenticator authenticator,
      ExecutorService adminRequests,
      AccessLogWriter accessLog) {
    this.config = config;
    this.vertx = vertx;
    this.journal = journal;
    this.chunks = chunks;
    this.dav = dav;
    this.http = http;
    this.telemetry = telemetry;
    this.management = management;
    this.users = users;
    this.accounts = accounts;
    this.authenticator = authenticator;
    this.adminRequests = adminRequests;
    this.accessLog = accessLog;
  }

  /** {@link #start(ServerConfig, String)} with a random admin password on first start. */
  public static CairnServer start(ServerConfig config) {
    return start(config, null);
  }

  /**
   * Starts a node; blocks until it listens. Fails with a message naming the problem (a backend
   * that cannot be opened, a port in use) and leaves nothing running.
   */
  public static CairnServer start(ServerConfig config, String adminPassword) {
    Telemetry telemetry = Telemetry.create();
    Vertx vertx;
    LockManager locks;
    if (config.cluster() == null) {
      vertx = telemetry.vertx();
      locks = new LocalLockManager(Clock.systemUTC());
    } else {
      HazelcastSetup.Node node =
          join(HazelcastSetup.start(config.cluster(), telemetry::vertxBuilder), "cluster member");
      vertx = node.vertx();
      locks = new HazelcastLockManager(node.hazelcast(), Clock.systemUTC());
      LOG.info(
          "joined cluster {} as {} ({} members)",
          config.cluster().name(),
          node.nodeId(),
          node.hazelcast().getCluster().getMembers().size());
    }
    Journal journal = null;
    ChunkStore chunks = null;
    CairnDav dav = null;
    UserStore users = null;
    ExecutorService adminRequests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-admin-", 0).factory());
    AccessLogWriter accessLog = new AccessLogWriter(System.err);
    try {
      createDataDir(config);
      journal = join(Backends.journal(vertx, config.journalUri()), "journal " + config.journalUri());
      String journalKind = journal.getClass().getSimpleName();
      journal = new MeteredJournal(journal, telemetry.registry());
      if (config.cluster() != null) {
        // Above the metered journal: hits counted here, misses where they reach the journal.
        journal = new CachingJournal(journal, CACHE_CAPACITY, CacheMeters.metadata(telemetry.registry())::hit);
      }
      join(io.cairn.storage.NfcNames.migrate(journal), "the NFC rename of stored names (docs/names.md)");
      users = join(Backends.userStore(vertx, config.journalUri()), "user store " + config.journalUri());
      Accounts accounts = new Accounts(users, journal, Clock.systemUTC());
      AdminBootstrap.ensureAdmin(accounts, adminPassword, System.out);
      StoreAuthenticator authenticator = StoreAuthenticator.standard(accounts, Clock.systemUTC(), telemetry.registry());
      chunks = join(Backends.chunkStore(vertx, config.chunkStoreUri()), "chunk store " + config.chunkStoreUri());
      chunks = MeteredChunkStore.of(chunks, telemetry.registry());
      if (config.chunkCacheBytes() > 0) {
        // Above the metered store: hits counted here, the store's latency only for misses.
        CacheMeters chunkCache = CacheMeters.chunks(telemetry.registry());
        chunks = CachingChunkStore.of(chunks, config.chunkCacheBytes(), CHUNK_CACHE_MAX, chunkCache::hit, chunkCache::miss);
      }
      dav =
          CairnDav.builder(journal, chunks, Backends.splitter(config))
              .authenticator(authenticator)
              .clientAddress(config.clientAddress())
              .quota(new QuotaPolicy(config.quotaBytes(), freeSpace(config)))
              .uploadChunksInFlight(config.uploadChunksInFlight())
              .readAheadChunks(config.readAheadChunks())
              .locks(
                  new MeteredLockManager(locks, telemetry.registry(), Clock.systemUTC()),
                  Clock.systemUTC())
              .meterRegistry(telemetry.registry())
              .accessLog(accessLog)
              .build();
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost(config.bindHost())
              .setPort(config.port())
              // 100 Continue is sent when a handler first reads the body, after it has
              // authenticated and checked the request: a refused body is never invited.
              .setHandle100ContinueAutomatically(false)
              .setCompressionSupported(false);
      HttpEdge.limit(options, config.http());
      if (config.tls()) {
        requireReadable(config.tlsCert(), "tls.cert");
        requireReadable(config.tlsKey(), "tls.key");
        options
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(config.tlsCert().toString())
                    .setKeyPath(config.tlsKey().toString()));
      }
      Handler<HttpServerRequest> davHandler = dav.requestHandler();
      AdminApi admin = new AdminApi(vertx, accounts, authenticator, adminRequests);
      EdgeRouter edge =
          EdgeRouter.to(davHandler, telemetry.registry(), config.clientAddress(), accessLog)
              .front("admin", AdminApi.PREFIX, admin);
      HttpServer http = vertx.createHttpServer(options).requestHandler(edge);
      ConnectionLimits connections =
          new ConnectionLimits(
              config.http().maxConnections(),
              config.http().maxConnectionsPerAddress(),
              config.clientAddress()::isTrustedProxy);
      HttpEdge.guard(http, config.http(), connections, new EdgeMeters(telemetry.registry(), connections));
      join(http.listen(), "listening on " + config.bindHost() + ":" + config.port());
      HttpServer management =
          join(
              ManagementServer.start(
                  vertx,
                  config.managementHost(),
                  config.managementPort(),
                  config.metricsPath(),
                  telemetry,
                  new Readiness(journal, chunks, 5_000)),
              "management port on " + config.managementHost() + ":" + config.managementPort());
      CairnServer server =
          new CairnServer(
              config, vertx, journal, chunks, dav, http, telemetry, management, users, accounts,
              authenticator, adminRequests, accessLog);
      LOG.info(
          "Cairn listening on {}://{}:{}/ (journal {}, chunks {}, each user sees their home)",
          config.tls() ? "https" : "http",
          config.bindHost(),
          http.actualPort(),
          journalKind,
          chunks.backend());
      LOG.info(
          "metrics on http://{}:{}{} (also /healthz, /readyz)",
          config.managementHost(),
          management.actualPort(),
          config.metricsPath());
      return server;
    } catch (RuntimeException e) {
      if (dav != null) {
        dav.close();
      }
      if (chunks != null) {
        chunks.close();
      }
      adminRequests.shutdownNow();
      accessLog.close();
      if (users != null) {
        users.close();
      }
      if (journal != null) {
        journal.close();
      }
      vertx.close();
      telemetry.close();
      throw e;
    }
  }

  /** The port the server listens on (the configured one, or the one chosen for port 0). */
  public int port() {
    return http.actualPort();
  }

  /** The management port (metrics, health, readiness). */
  public int managementPort() {
    return management.actualPort();
  }

  public ServerConfig config() {
    return config;
  }

  /** User and token administration on this node's store. */
  public Accounts accounts() {
    return accounts;
  }

  /** The authenticator, to drop cached credentials after an administrative change. */
  public StoreAuthenticator authenticator() {
    return authenticator;
  }

  /** The metadata near-cache's counters; null on a single node, which has no cache. */
  public CacheStats cacheStats() {
    return journal instanceof CacheStats stats ? stats : null;
  }

  /** The journal, for tests that check what a request committed. */
  public Journal journal() {
    return journal;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Duration grace = Duration.ofSeconds(config.shutdownGraceSeconds());
    LOG.info("shutting down (grace {}s)", grace.toSeconds());
    Future<Void> stopped = http.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    management.close();
    dav.shutdown(grace);
    accessLog.close();
    adminRequests.shutdown();
    try {
      stopped.toCompletionStage().toCompletableFuture().get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    chunks.close();
    users.close();
    journal.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
    }
    telemetry.close();
    LOG.info("stopped");
  }

  /**
   * The accounts of the database a configuration names, without serving anything: for the
   * administration commands. Closing the handle closes the database.
   */
  public static AdminCli.AccountsHandle openAccounts(ServerConfig config) {
    Vertx vertx = Vertx.vertx();
    Journal journal = null;
    try {
      createDataDir(config);
      Journal j = join(Backends.journal(vertx, config.journalUri()), "journal " + config.journalUri());
      journal = j;
      UserStore users = join(Backends.userStore(vertx, config.journalUri()), "user store " + config.journalUri());
      Accounts accounts = new Accounts(users, j, Clock.systemUTC());
      return new AdminCli.AccountsHandle() {
        @Override
        public Accounts accounts() {
          return accounts;
        }

        @Override
        public void close() {
          users.close();
          j.close();
          vertx.close();
        }
      };
    } catch (IllegalStateException e) {
      if (journal != null) {
        journal.close();
      }
      vertx.close();
      throw new ServerConfig.InvalidConfig(e.getMessage());
    }
  }

  private static void requireReadable(Path file, String key) {
    if (!Files.isReadable(file)) {
      throw new ServerConfig.InvalidConfig(key + ": cannot read " + file);
    }
  }

  private static void createDataDir(ServerConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new ServerConfig.InvalidConfig("cannot create data.dir " + config.dataDir() + ": " + e.getMessage());
    }
  }

  /** Admin API requests to {@code admin}, continued at once if they expect it; the rest to WebDAV. */
  /**
   * Free space where chunks live, for quota-available-bytes and to refuse a PUT announced larger;
   * unknown (-1) off local disk.
   */
  private static LongSupplier freeSpace(ServerConfig config) {
    Path dir = Backends.localDirectory(config.chunkStoreUri());
    if (dir == null) {
      return () -> -1;
    }
    // Every PUT asks. Finding a path's file store reads the mount table (0.1 to 0.3 ms here), its
    // free space is one statfs (a few µs): the store of the chunk directory is found once.
    AtomicReference<FileStore> found = new AtomicReference<>();
    return () -> {
      try {
        FileStore store = found.get();
        if (store != null) {
          return store.getUsableSpace();
        }
        Path p = dir;
        while (p != null && !Files.exists(p)) {
          p = p.getParent();
        }
        if (p == null) {
          return -1;
        }
        store = Files.getFileStore(p);
        if (p.equals(dir)) {
          found.set(store);
        }
        return store.getUsableSpace();
      } catch (IOException e) {
        return -1;
      }
    };
  }

  private static <T> T join(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot start " + what + ": " + cause.getMessage(), cause);
    }
  }
}
