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
import io.cairn.files.Await;
import io.cairn.server.admin.AdminApi;
import io.cairn.server.admin.ServerStatus;
import io.cairn.server.admin.QuotaReport;
import io.cairn.server.auth.Accounts;
import io.cairn.server.auth.AdminBootstrap;
import io.cairn.server.auth.StoreAuthenticator;
import io.cairn.server.cli.AdminCli;
import io.cairn.server.logging.Logging;
import io.cairn.server.gc.GarbageCollector;
import io.cairn.server.gc.GcSchedule;
import io.cairn.server.scrub.ScrubSchedule;
import io.cairn.server.metrics.CertificateMeters;
import io.cairn.server.metrics.UsageMeters;
import io.cairn.server.retention.HistoryPurge;
import io.cairn.server.retention.NamespaceRetention;
import io.cairn.cluster.lease.HazelcastLeases;
import io.cairn.cluster.lease.LocalLeases;
import io.cairn.cluster.lease.Leases;
import io.cairn.server.http.ConnectionLimits;
import io.cairn.server.http.EdgeMeters;
import io.cairn.cluster.feed.ChangeFeed;
import io.cairn.files.FileService;
import io.cairn.files.StagedUploads;
import io.cairn.server.api.SyncApi;
import io.cairn.server.http.EdgeRouter;
import io.cairn.server.share.ShareLinks;
import io.cairn.server.web.BrowserPages;
import io.cairn.server.web.LinkPages;
import io.cairn.server.web.WebAssets;
import io.cairn.server.web.WebFront;
import io.cairn.server.web.WebSessions;
import io.cairn.server.http.WebDavFront;
import io.cairn.server.nextcloud.LoginFlow;
import io.cairn.server.nextcloud.NextcloudFront;
import io.cairn.server.http.HttpEdge;
import io.cairn.storage.users.UserStore;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.cache.CachingChunkStore;
import io.cairn.storage.metered.CacheMeters;
import io.cairn.storage.metered.MeteredChunkStore;
import io.cairn.storage.metered.MeteredJournal;
import io.cairn.webdav.CairnDav;
import io.cairn.files.QuotaPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn node: Vert.x, the storage backends the configuration names, the WebDAV front
 * door with class 2 locks, and the HTTP server; a single node keeps its locks in this process
 * ({@link LocalLockManager}), a clustered one starts Vert.x on Hazelcast, keeps them in the cluster
 * ({@link HazelcastLockManager}) and puts a near-cache before the journal ({@link
 * CachingJournal}); metrics, health and readiness on the management port ({@link Telemetry}, {@link
 * ManagementServer}). Every request enters through one {@link EdgeRouter}. {@link #start} reads
 * as its three steps (open the storage, build the front doors, listen) and registers each thing it
 * opens in {@link Resources}; {@link #close()}, the graceful shutdown SIGTERM triggers, and a failed
 * start close them in reverse order.
 */
public final class CairnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);
  /** Cached entries and listing pages per namespace on a clustered node. */
  private static final int CACHE_CAPACITY = 100_000;
  /** How often the usage metrics (stored bytes, largest homes) are sampled from the journal. */
  private static final long USAGE_SAMPLE_MINUTES = 5;
  /** The largest chunk the small-chunk cache keeps: a small file's only chunk. */
  private static final int CHUNK_CACHE_MAX = 64 << 10;

  private final ServerConfig config;
  private final Journal journal;
  private final Accounts accounts;
  private final StoreAuthenticator authenticator;
  private final HttpServer http;
  private final HttpServer management;
  private final Resources resources;
  private final GcSchedule gc;
  private final ScrubSchedule scrub;
  private final UsageMeters usage;
  private boolean closed;

  private CairnServer(ServerConfig config, Storage storage, Fronts fronts, Listening listening, GcSchedule gc,
      ScrubSchedule scrub, UsageMeters usage, Resources resources) {
    this.gc = gc;
    this.scrub = scrub;
    this.usage = usage;
    this.config = config;
    this.journal = storage.journal();
    this.accounts = fronts.accounts();
    this.authenticator = fronts.authenticator();
    this.http = listening.http();
    this.management = listening.management();
    this.resources = resources;
  }

  /** {@link #start(ServerConfig, String)} with a random admin password on first start. */
  public static CairnServer start(ServerConfig config) {
    return start(config, null);
  }

  /** {@link #start(ServerConfig, String, Clock)} on the system clock (UTC). */
  public static CairnServer start(ServerConfig config, String adminPassword) {
    return start(config, adminPassword, Clock.systemUTC());
  }

  /**
   * Starts a node in three steps, opening the storage, building the front doors, listening; blocks
   * until it listens. Fails with a message naming the problem (a backend that cannot be opened, a
   * port in use) and leaves nothing running: what was opened is closed in reverse order.
   *
   * @param clock the one clock of the node: lock timeouts, token expiry, journal and user times
   */
  public static CairnServer start(ServerConfig config, String adminPassword, Clock clock) {
    Logging.apply(config.log());
    Resources resources = new Resources();
    try {
      Telemetry telemetry = resources.add("telemetry", Telemetry.create(), t -> t.close());
      Node node = joinNode(config, telemetry, clock, resources);
      Storage storage = openStorage(config, node.vertx(), telemetry, clock, resources);
      Fronts fronts = buildFronts(config, node, storage, telemetry, clock, resources);
      if (adminPassword != null) {
        // Before listening: the first requests with it must not meet a 401 while admin is created
        // (a PostgreSQL round trip or two), and a failed bind loses nothing, the password is known.
        ensureAdmin(config, fronts, adminPassword);
      }
      Listening listening = listen(config, node.vertx(), fronts.edge(), storage, telemetry, resources);
      GcSchedule gc = resources.add("gc", new GcSchedule(storage.journal(), storage.chunks(), node.leases(),
          config.gc(), config.retention(), clock, telemetry.registry()), GcSchedule::close);
      ScrubSchedule scrub = resources.add("scrub", new ScrubSchedule(storage.journal(), storage.rawChunks(), node.leases(), config.scrub(),
          clock, telemetry.registry(), fronts.files()::damageRecordedHere), ScrubSchedule::close);
      CertificateMeters.register(telemetry.registry(), config.tls() ? config.tlsCert() : null);
      UsageMeters usage = resources.add("usage metrics",
          new UsageMeters(storage.journal(), telemetry.registry(), USAGE_SAMPLE_MINUTES), UsageMeters::close);
      // Closed first: open event streams and long polls end before the server waits for requests.
      resources.add("change feed", fronts.feed(), ChangeFeed::close);
      LOG.info(
          "Cairn listening on {}://{}:{}/ (journal {}, chunks {}, each user sees their home)",
          config.tls() ? "https" : "http",
          config.bindHost(),
          listening.http().actualPort(),
          storage.journalKind(),
          storage.chunks().backend());
      LOG.info(
          "metrics on http://{}:{}{} (also /healthz, /readyz); data in {}",
          config.managementHost(),
          listening.management().actualPort(),
          config.metricsPath(),
          config.dataDir().toAbsolutePath().normalize());
      if (adminPassword == null) {
        // A random password only now that the port is ours: printed before a failed bind it would
        // scroll away under the error, with the user created and the password never seen again.
        ensureAdmin(config, fronts, null);
      }
      return new CairnServer(config, storage, fronts, listening, gc, scrub, usage, resources);
    } catch (RuntimeException e) {
      resources.close();
      throw e;
    }
  }

  private static void ensureAdmin(ServerConfig config, Fronts fronts, String adminPassword) {
    AdminBootstrap.ensureAdmin(fronts.accounts(), adminPassword, System.out,
        "cairn user passwd admin --data " + config.dataDir().toAbsolutePath().normalize()
            + "   (bin/cairn in a checkout)");
  }

  /**
   * Vert.x and the lock manager: this process's on a single node, the cluster's on a member; and
   * the members (host:port) now, empty on a single node.
   */
  private record Node(Vertx vertx, LockManager locks, Leases leases, Supplier<List<String>> members) {}

  private static Node joinNode(ServerConfig config, Telemetry telemetry, Clock clock, Resources resources) {
    if (config.cluster() == null) {
      Vertx vertx = resources.add("Vert.x", telemetry.vertx(), CairnServer::closeVertx);
      return new Node(vertx, new LocalLockManager(clock), new LocalLeases(clock), List::of);
    }
    HazelcastSetup.Node member =
        join(HazelcastSetup.start(config.cluster(), telemetry::vertxBuilder), "cluster member");
    resources.add("Vert.x", member.vertx(), CairnServer::closeVertx);
    LOG.info(
        "joined cluster {} as {} ({} members)",
        config.cluster().name(),
        member.nodeId(),
        member.hazelcast().getCluster().getMembers().size());
    return new Node(member.vertx(), new HazelcastLockManager(member.hazelcast(), clock),
        new HazelcastLeases(member.hazelcast()), () -> member.hazelcast().getCluster().getMembers().stream()
            .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).sorted().toList());
  }

  /** The journal (metered, and cached on a cluster member), the user store and the chunk store. */
  /**
   * {@code rawChunks}: the chunk store below metrics and cache, for the scrub. {@code
   * damageRecordedOnlyHere}: a single node on a local chunk directory, whose lock keeps {@code fsck
   * --repair} out while it runs, so only this node records damage (ADR 0016).
   */
  private record Storage(Journal journal, String journalKind, UserStore users, ChunkStore chunks, ChunkStore rawChunks,
      boolean damageRecordedOnlyHere) {}

  private static Storage openStorage(
      ServerConfig config, Vertx vertx, Telemetry telemetry, Clock clock, Resources resources) {
    createDataDir(config);
    Journal opened = join(Backends.journal(vertx, config.journalUri(), clock), "journal " + config.journalUri());
    resources.add("journal", opened, Journal::close);
    Journal journal = new MeteredJournal(opened, telemetry.registry());
    if (config.cluster() != null) {
      // Above the metered journal: hits counted here, misses where they reach the journal.
      journal = new CachingJournal(journal, CACHE_CAPACITY, CacheMeters.metadata(telemetry.registry())::hit);
    }
    join(io.cairn.storage.NfcNames.migrate(journal), "the NFC rename of stored names (docs/names.md)");
    UserStore users =
        join(Backends.userStore(vertx, config.journalUri(), clock), "user store " + config.journalUri());
    resources.add("user store", users, UserStore::close);
    ChunkStore chunks = join(Backends.chunkStore(vertx, config.chunkStoreUri()), "chunk store " + config.chunkStoreUri());
    resources.add("chunk store", chunks, ChunkStore::close);
    ChunkStore raw = chunks;
    chunks = MeteredChunkStore.of(chunks, telemetry.registry());
    if (config.chunkCacheBytes() > 0) {
      // Above the metered store: hits counted here, the store's latency only for misses.
      CacheMeters chunkCache = CacheMeters.chunks(telemetry.registry());
      chunks = CachingChunkStore.of(chunks, config.chunkCacheBytes(), CHUNK_CACHE_MAX, chunkCache::hit, chunkCache::miss);
    }
    boolean onlyHere = config.cluster() == null && raw instanceof FsChunkStore;
    return new Storage(journal, opened.getClass().getSimpleName(), users, chunks, raw, onlyHere);
  }

  /** The front doors behind the edge: WebDAV, the admin API, and who may use them. */
  private record Fronts(Accounts accounts, StoreAuthenticator authenticator, EdgeRouter edge, ChangeFeed feed,
      FileService files) {}

  private static Fronts buildFronts(
      ServerConfig config, Node node, Storage storage, Telemetry telemetry, Clock clock,
      Resources resources) {
    Accounts accounts = new Accounts(storage.users(), storage.journal(), clock);
    StoreAuthenticator authenticator = StoreAuthenticator.standard(accounts, clock, telemetry.registry(), config.ldap());
    Consumer<String> accessLog = Logging.accessFileSink(config.log());
    if (accessLog == null) { // on the console with the rest, batched (AccessLogWriter says why)
      accessLog = resources.add("access log", new AccessLogWriter(System.err, config.log().json()), AccessLogWriter::close);
    }
    Duration grace = Duration.ofSeconds(config.shutdownGraceSeconds());
    CairnDav dav =
        CairnDav.builder(storage.journal(), storage.chunks(), Backends.splitter(config))
            .perUser()
            .quota(new QuotaPolicy(config.quotaBytes(), diskMeters(config, telemetry, freeSpace(config)),
                config.quotaCountsHistory()))
            .uploadChunksInFlight(config.uploadChunksInFlight())
            .digests(config.uploadDigests())
            .readAheadChunks(config.readAheadChunks())
            .limits(config.limits())
            .maxXmlBodyBytes(config.maxXmlBodyBytes())
            .locks(new MeteredLockManager(node.locks(), telemetry.registry(), clock), clock)
            .clock(clock)
            .damageRecordedOnlyHere(storage.damageRecordedOnlyHere())
            .build();
    resources.add("WebDAV", dav, d -> d.shutdown(grace));
    FileService files = dav.site().files();
    ChangeFeed feed = new ChangeFeed(node.vertx());
    files.onCommit(row -> feed.committed(row.ns(), row.jid()));
    WebDavFront webdav = new WebDavFront(dav.front());
    WebAssets assets = new WebAssets();
    WebSessions sessions = new WebSessions(accounts, clock, config.tls(), config.clientAddress());
    StagedUploads staged = new StagedUploads(storage.journal(), storage.chunks(), files, clock);
    ShareLinks links = new ShareLinks(accounts, files, staged, clock);
    EdgeRouter edge =
        EdgeRouter.to(new BrowserPages(webdav, files, assets), authenticator, telemetry.registry(), config.clientAddress(), accessLog)
            .front("web", WebFront.PREFIX, WebFront.routes(node.vertx(), sessions, authenticator, assets))
            .front("link", ShareLinks.PREFIX, LinkPages.front(node.vertx(), links, files, staged, assets, clock,
                config.tls(), config.drop()))
            .front("admin", AdminApi.PREFIX, AdminApi.routes(node.vertx(), accounts,
                new HistoryPurge(storage.journal(), clock), new NamespaceRetention(storage.journal(), config.retention()),
                new ServerStatus(Main.version(), storage.journalKind(), storage.chunks().backend(), node.members(),
                    telemetry.registry(), storage.journal()),
                new QuotaReport(accounts, storage.journal(), config.quotaBytes(), config.quotaCountsHistory())))
            .front("api", SyncApi.PREFIX, SyncApi.routes(node.vertx(), files, feed, authenticator, clock, config.chunkerParams(), links));
    edge.front("nextcloud", NextcloudFront.PREFIXES, new NextcloudFront(webdav, files, Main.version()));
    edge.front("loginflow", LoginFlow.PREFIX, LoginFlow.routes(node.vertx(), accounts, sessions, assets));
    resources.add("request threads", edge, e -> e.shutdown(grace));
    return new Fronts(accounts, authenticator, edge, feed, files);
  }

  /** The HTTP server on the edge, and the management port. */
  private record Listening(HttpServer http, HttpServer management) {}

  private static Listening listen(
      ServerConfig config, Vertx vertx, EdgeRouter edge, Storage storage, Telemetry telemetry, Resources resources) {
    HttpServer http = vertx.createHttpServer(httpOptions(config)).requestHandler(edge);
    ConnectionLimits connections =
        new ConnectionLimits(
            config.http().maxConnections(),
            config.http().maxConnectionsPerAddress(),
            config.clientAddress()::isTrustedProxy);
    HttpEdge.guard(http, config.http(), connections, new EdgeMeters(telemetry.registry(), connections));
    join(http.listen(), "listening on " + config.bindHost() + ":" + config.port());
    Duration grace = Duration.ofSeconds(config.shutdownGraceSeconds());
    resources.add("HTTP server", http, h -> stopGracefully(h, grace));
    HttpServer management =
        join(
            ManagementServer.start(
                vertx,
                config.managementHost(),
                config.managementPort(),
                config.metricsPath(),
                telemetry,
                new Readiness(storage.journal(), storage.chunks(), 5_000)),
            "the management port on " + config.managementHost() + ":" + config.managementPort()
                + " (management.port, by default port + 1; set it when nodes share a host)");
    resources.add("management port", management, HttpServer::close);
    return new Listening(http, management);
  }

  /** The largest piece of a request body the HTTP decoder hands on: Netty's largest socket read. */
  static final int BODY_PIECE = 64 << 10;

  private static HttpServerOptions httpOptions(ServerConfig config) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.bindHost())
            .setPort(config.port())
            // 100 Continue is sent when a handler first reads the body, after it has
            // authenticated and checked the request: a refused body is never invited.
            .setHandle100ContinueAutomatically(false)
            .setCompressionSupported(false)
            // A body arrives in pieces of at most this size: Vert.x's default of 8 KiB cut each
            // 64 KiB socket read in eight, each copied to the heap and handed to the reading
            // thread on its own (131,072 hand-offs per GiB uploaded).
            .setMaxChunkSize(BODY_PIECE);
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
    return options;
  }

  /** Stops accepting and lets the requests in progress finish within {@code grace}. */
  private static void stopGracefully(HttpServer http, Duration grace) {
    Future<Void> stopped = http.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    try {
      stopped.toCompletionStage().toCompletableFuture().get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
  }

  private static void closeVertx(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
    }
  }

  /**
   * Runs chunk garbage collection now, on the calling thread, as the schedule would; null when
   * another node holds the gc lease. Fails with {@link io.cairn.server.gc.GcFailure}.
   */
  public GarbageCollector.Summary collectGarbage() {
    return gc.runNow();
  }

  /**
   * Runs the scrub now, on the calling thread, as its schedule would, to the end of the pass under
   * way or of a new one; null when another node (or the schedule) holds the scrub lease. Fails with
   * {@link io.cairn.server.scrub.ScrubFailure}.
   */
  public io.cairn.server.scrub.ScrubPosition scrubNow() {
    return scrub.runNow();
  }

  /** Samples the usage metrics now, as the schedule does every few minutes. */
  public UsageMeters.Sample sampleUsage() {
    return usage.sample();
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

  /**
   * The graceful shutdown: stop listening, let the requests in progress finish within the grace
   * period, then close everything else in the reverse order of {@link #start}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("shutting down (grace {}s)", config.shutdownGraceSeconds());
    resources.close();
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
      Clock clock = Clock.systemUTC();
      Journal j = join(Backends.journal(vertx, config.journalUri(), clock), "journal " + config.journalUri());
      journal = j;
      UserStore users = join(Backends.userStore(vertx, config.journalUri(), clock), "user store " + config.journalUri());
      Accounts accounts = new Accounts(users, j, clock);
      return new AdminCli.AccountsHandle() {
        @Override
        public Accounts accounts() {
          return accounts;
        }

        @Override
        public HistoryPurge purge() {
          return new HistoryPurge(j, clock);
        }

        @Override
        public NamespaceRetention retention() {
          return new NamespaceRetention(j, config.retention());
        }

        @Override
        public QuotaReport quotas() {
          return new QuotaReport(accounts, j, config.quotaBytes(), config.quotaCountsHistory());
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

  /** Whether the journal or the chunks live in the data directory (the embedded defaults do). */
  static boolean usesDataDir(ServerConfig config) {
    Path data = config.dataDir().toAbsolutePath().normalize();
    for (String uri : new String[] {config.journalUri(), config.chunkStoreUri()}) {
      int colon = uri.indexOf(':');
      String scheme = colon < 0 ? "" : uri.substring(0, colon);
      if ((scheme.equals("sqlite") || scheme.equals("file"))
          && Path.of(uri.substring(colon + 1).replaceFirst("^//", "")).toAbsolutePath().normalize().startsWith(data)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The data directory, readable by the server's user only (0700): it holds the users' files and
   * the password hashes. A looser existing one is tightened, with a warning.
   */
  private static void createDataDir(ServerConfig config) {
    if (!usesDataDir(config)) {
      return; // PostgreSQL and S3: a node keeps nothing of its own on disk, so no empty ./data
    }
    Path dir = config.dataDir();
    java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
      } else if (!Files.getPosixFilePermissions(dir).equals(owner)) {
        LOG.warn("data.dir {} was {}: made {} (only the server's user may read it)", dir,
            java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "rwx------");
        Files.setPosixFilePermissions(dir, owner);
      }
    } catch (UnsupportedOperationException e) {
      try { // no POSIX permissions (Windows): the directory's ACL is the operator's
        Files.createDirectories(dir);
      } catch (IOException io) {
        throw new ServerConfig.InvalidConfig("cannot create data.dir " + dir + ": " + io.getMessage());
      }
    } catch (IOException e) {
      throw new ServerConfig.InvalidConfig("cannot create data.dir " + dir + ": " + e.getMessage());
    }
  }

  /**
   * {@code cairn_disk_free_bytes} and {@code cairn_disk_size_bytes} of the file system the chunks
   * live on (local disk only: nothing for S3), for the "disk nearly full" alert; {@code free} is
   * passed through.
   */
  private static LongSupplier diskMeters(ServerConfig config, Telemetry telemetry, LongSupplier free) {
    Path dir = Backends.localDirectory(config.chunkStoreUri());
    if (dir == null) {
      return free;
    }
    io.micrometer.core.instrument.Gauge.builder("cairn.disk.free.bytes", free, s -> (double) s.getAsLong())
        .description("Bytes free for Cairn on the file system of the chunk store")
        .baseUnit("bytes")
        .register(telemetry.registry());
    io.micrometer.core.instrument.Gauge.builder("cairn.disk.size.bytes", dir, d -> {
          try {
            return (double) Files.getFileStore(Files.exists(d) ? d : d.toAbsolutePath().getParent()).getTotalSpace();
          } catch (IOException | RuntimeException e) {
            return Double.NaN;
          }
        })
        .description("Size of the file system of the chunk store")
        .baseUnit("bytes")
        .strongReference(true) // nothing else holds dir: a weak reference read NaN after a gc
        .register(telemetry.registry());
    return free;
  }

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

  /** Waits through the one bridge ({@link Await}); a failure names what could not start. */
  static <T> T join(Future<T> future, String what) {
    try {
      return Await.result(future);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start " + what + ": " + e.getMessage(), e);
    }
  }
}
