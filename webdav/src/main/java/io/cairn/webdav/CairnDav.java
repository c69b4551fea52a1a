package io.cairn.webdav;

import io.cairn.files.ChunkSplitter;
import io.cairn.files.DigestType;
import io.cairn.files.FileIds;
import io.cairn.files.FileLimits;
import io.cairn.files.FileService;
import io.cairn.files.StagedUploads;
import io.cairn.cluster.lock.LockManager;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.webdav.auth.ShareAccessFilter;
import io.cairn.webdav.http.DavFront;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.lock.LockSupport;
import io.cairn.webdav.method.DavExtension;
import io.cairn.webdav.method.DispatchFilter;
import io.cairn.webdav.method.ErrorFilter;
import io.cairn.webdav.method.HistoryFilter;
import io.cairn.webdav.method.RootProtectionFilter;
import io.cairn.webdav.method.UploadsFilter;
import io.cairn.webdav.method.SyncProperties;
import io.cairn.webdav.method.ViewsFilter;
import io.cairn.webdav.props.LiveProperties;
import io.cairn.webdav.props.OwnCloudProperties;
import io.cairn.webdav.props.TrashProperties;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.files.QuotaPolicy;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.AuthenticationService;
import io.milton.http.Filter;
import io.milton.http.HttpExtension;
import io.milton.http.HttpManager;
import io.milton.http.http11.DefaultHttp11ResponseHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebDAV front door, assembled: milton's {@link HttpManager} configured through its builder
 * with everything Cairn does not want switched off (response buffering, compression, form, cookie,
 * digest and basic authentication, the JSON gateway, milton's own protocol handlers, URL decoding),
 * Cairn's handlers ({@link DavExtension}), dispatch ({@link DispatchFilter}) and error mapping
 * ({@link ErrorFilter}, first in the chain) in their place,
 * and {@link #front()}, which takes requests from the server's edge (the edge authenticates them and
 * serves them on virtual threads).
 *
 * <p>Class 2 comes from {@code io.cairn.webdav.lock} through {@link Builder#locks}, with {@link
 * DavLockTargets} as its view of the tree: its handlers join Cairn's, its filter runs last before
 * dispatch, and its lock properties join the site's {@link LiveProperties}. Other parts plug in
 * through {@link Builder#extension} (handlers), {@link Builder#filter} (checks before dispatch),
 * {@link Builder#liveProperty}, {@link Builder#milton} (anything on milton's builder).
 */
public final class CairnDav implements AutoCloseable {
  private final DavSite site;
  private final HttpManager manager;
  private final ExecutorService workers;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final DavFront front;
  /** Sweeps abandoned chunked uploads every {@link #SWEEP}; null for a fixed (anonymous) mount. */
  private final ScheduledExecutorService sweeper;

  /** How often every user's abandoned chunked uploads are looked for. */
  static final Duration SWEEP = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(CairnDav.class);

  private CairnDav(DavSite site, HttpManager manager, ExecutorService workers, StagedUploads staged) {
    this.site = site;
    this.manager = manager;
    this.workers = workers;
    this.front = new DavFront(manager, active, completed);
    this.sweeper = staged == null ? null : Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("cairn-upload-sweep").factory());
    if (sweeper != null) {
      sweeper.scheduleWithFixedDelay(() -> sweep(staged), SWEEP.toMinutes(), SWEEP.toMinutes(), TimeUnit.MINUTES);
    }
  }

  private static void sweep(StagedUploads staged) {
    try {
      int removed = staged.expireAll();
      if (removed > 0) {
        LOG.info("removed {} chunked uploads abandoned for {} h", removed, StagedUploads.EXPIRY.toHours());
      }
    } catch (RuntimeException e) {
      LOG.warn("the sweep of abandoned chunked uploads failed, to be tried again in {} min: {}", SWEEP.toMinutes(), e.toString());
    }
  }

  public static Builder builder(Journal journal, ChunkStore chunks, ChunkSplitter splitter) {
    return new Builder(journal, chunks, splitter);
  }

  /** The site: mount, storage, live properties, limits. */
  public DavSite site() {
    return site;
  }

  /**
   * The front door for the server's edge. The Vert.x server must leave {@code Expect:
   * 100-continue} to it ({@code HttpServerOptions.setHandle100ContinueAutomatically(false)}, the
   * default): a request refused before its body is read is then answered without a {@code 100
   * Continue}.
   */
  public DavFront front() {
    return front;
  }

  /** The milton manager, for tests that check which handlers it dispatches to. */
  HttpManager manager() {
    return manager;
  }

  /** Requests whose processing has ended since start, whatever their outcome. */
  public long completedRequests() {
    return completed.get();
  }

  /** Requests being processed right now. */
  public int activeRequests() {
    return active.get();
  }

  /**
   * Waits up to {@code grace} for the requests in progress to be answered (the edge has stopped
   * taking new ones), then stops. Does not close the journal or the chunk store: their owner does.
   */
  public void shutdown(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      // A request's thread ends before the event loop has written its response's end.
      while (active.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    manager.shutdown();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  /** Configuration of a {@link CairnDav}. */
  public static final class Builder {
    private final Journal journal;
    private final ChunkStore chunks;
    private final ChunkSplitter splitter;
    private String namespace = "default";
    private boolean perUser;
    private QuotaPolicy quota = QuotaPolicy.NONE;
    private int uploadChunksInFlight = 4;
    private int readAheadChunks = 2;
    private int maxXmlBodyBytes = 1 << 20;
    private FileLimits limits = FileLimits.NONE;
    private Set<DigestType> digests = DigestType.DEFAULT;
    private final List<Function<DavSite, HttpExtension>> extensions = new ArrayList<>();
    private final List<Function<DavSite, Filter>> filters = new ArrayList<>();
    private final List<LiveProperty> liveProperties = new ArrayList<>();
    private final List<BiConsumer<HttpManagerBuilder, DavSite>> miltonCustomizers = new ArrayList<>();
    private LockManager locks;
    private Clock lockClock;
    private Clock clock = Clock.systemUTC();
    private boolean damageRecordedOnlyHere;

    private Builder(Journal journal, ChunkStore chunks, ChunkSplitter splitter) {
      this.journal = journal;
      this.chunks = chunks;
      this.splitter = splitter;
    }

    /**
     * No other process or node records damaged chunks while this server runs, and its scrub tells
     * {@link io.cairn.files.FileService#damageRecordedHere} of each record: reads then skip the
     * journal's damage lookup for chunks not recorded (ADR 0016). Default false.
     */
    public Builder damageRecordedOnlyHere(boolean only) {
      this.damageRecordedOnlyHere = only;
      return this;
    }

    /** The namespace every URL maps to; created at start when missing. Default "default". */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /**
     * Shows each caller ({@link io.cairn.files.Caller#current()}, named by the edge) their home
     * namespace and shares instead of {@link #namespace}; see {@link io.cairn.webdav.auth}.
     */
    public Builder perUser() {
      this.perUser = true;
      return this;
    }

    public Builder quota(QuotaPolicy quota) {
      this.quota = quota;
      return this;
    }

    /** Chunks of one PUT being hashed and stored while the body is still read. Default 4. */
    public Builder uploadChunksInFlight(int n) {
      this.uploadChunksInFlight = n;
      return this;
    }

    /** Chunks of one GET fetched ahead of the one being sent. Default 2. */
    public Builder readAheadChunks(int n) {
      this.readAheadChunks = n;
      return this;
    }

    /** The largest XML request body accepted. Default 1 MiB. */
    public Builder maxXmlBodyBytes(int n) {
      this.maxXmlBodyBytes = n;
      return this;
    }

    /** The operator's limits on what a request may create, for every front. Default none. */
    public Builder limits(FileLimits limits) {
      this.limits = limits;
      return this;
    }

    /** The whole-file digests every upload computes (ownCloud's checksums). Default SHA-1 only. */
    public Builder digests(Set<DigestType> digests) {
      this.digests = digests;
      return this;
    }

    /** Adds milton handlers (LOCK, UNLOCK...); they take precedence for their methods. */
    public Builder extension(Function<DavSite, HttpExtension> extension) {
      extensions.add(extension);
      return this;
    }

    /**
     * Adds a filter run before the method's handler, in the order added, after the error mapping:
     * it may throw DavException or CairnException to refuse a request.
     */
    public Builder filter(Function<DavSite, Filter> filter) {
      filters.add(filter);
      return this;
    }

    /**
     * Lets other parts configure milton's builder once Cairn has; called in the order added, right
     * before the HttpManager is built.
     */
    public Builder milton(BiConsumer<HttpManagerBuilder, DavSite> customizer) {
      miltonCustomizers.add(customizer);
      return this;
    }

    /**
     * WebDAV class 2: LOCK and UNLOCK, the If header, lock enforcement on every write, and the
     * lock properties, with locks kept in {@code locks} (RFC 4918 §6, §7, §9.10, §9.11).
     */
    public Builder locks(LockManager locks, Clock clock) {
      this.locks = locks;
      this.lockClock = clock;
      return this;
    }

    /** The server's clock, for what the files layer times (how long an upload stays its uploader's). Default UTC. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Adds a live property to PROPFIND answers. */
    public Builder liveProperty(LiveProperty property) {
      liveProperties.add(property);
      return this;
    }

    /**
     * Builds the front door; creates the namespace when missing (blocking: call it at startup, not
     * on an event loop).
     */
    public CairnDav build() {
      ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-chunk-", 0).factory());
      FileService files = new FileService(journal, chunks, splitter, quota, uploadChunksInFlight, readAheadChunks, workers, clock, limits, digests,
          damageRecordedOnlyHere);
      DavMount mount = perUser ? DavMount.perUser() : new DavMount(namespace);
      LiveProperties properties = LiveProperties.standard(files)
          .with(SyncProperties.all()).with(OwnCloudProperties.all()).with(TrashProperties.all()).with(liveProperties);
      DavSite site = new DavSite(mount, files, properties, maxXmlBodyBytes);
      LockSupport classTwo = null;
      if (locks != null) {
        // The lock properties name lock roots through the site's mapping, and the site lists its
        // properties: the site is made again with them, over the same mount and files, which are
        // all DavLockTargets reads.
        classTwo = LockSupport.create(
            locks, new DavLockTargets(site), lockClock, LockSupport.DEFAULT_MAX_TIMEOUT, maxXmlBodyBytes);
        site = new DavSite(mount, files, properties.with(classTwo.liveProperties()), maxXmlBodyBytes);
      }
      if (!perUser) {
        files.ensureNamespace(namespace);
      }
      StagedUploads staged = perUser ? new StagedUploads(journal, chunks, files, clock) : null;
      return new CairnDav(site, manager(site, classTwo, staged, new FileIds(journal)), workers, staged);
    }

    /** milton for dispatch and the filter chain only, everything else of its own turned off (ADR 0006). */
    private HttpManager manager(DavSite site, LockSupport classTwo, StagedUploads staged, FileIds ids) {
      HttpManagerBuilder b = new HttpManagerBuilder();
      b.setResourceFactory(new DavResourceFactory(site));
      b.setBuffering(DefaultHttp11ResponseHandler.BUFFERING.never);
      b.setEnableCompression(false);
      b.setEnabledJson(false);
      b.setEnableBasicAuth(false);
      b.setEnableDigestAuth(false);
      b.setEnableFormAuth(false);
      b.setEnableCookieAuth(false);
      b.setEnableExpectContinue(false);
      b.setMultiNamespaceCustomPropertySourceEnabled(false);
      b.setAuthenticationService(new AuthenticationService(new ArrayList<>()));
      b.setUrlAdapter(request -> ((VertxMiltonRequest) request).rawPath());
      ArrayList<HttpExtension> protocols = new ArrayList<>();
      protocols.add(new DavExtension(site));
      if (classTwo != null) {
        protocols.add(classTwo.handlers());
      }
      for (Function<DavSite, HttpExtension> e : extensions) {
        protocols.add(e.apply(site));
      }
      b.setProtocols(protocols);
      List<Filter> before = new ArrayList<>();
      before.add(new ErrorFilter());
      if (staged != null) {
        before.add(new UploadsFilter(site, staged, classTwo));
        before.add(new HistoryFilter(site, ids, classTwo));
      }
      before.add(new ViewsFilter(site));
      if (perUser) {
        before.add(new ShareAccessFilter(site));
      }
      before.add(new RootProtectionFilter(site));
      for (Function<DavSite, Filter> f : filters) {
        before.add(f.apply(site));
      }
      if (classTwo != null) {
        before.add(classTwo.filter());
      }
      b.setFilters(before);
      b.setDefaultStandardFilter(new DispatchFilter());
      // Cairn's PROPFIND reads LiveProperties, never milton's property sources.
      b.setPropertySources(new ArrayList<>());
      for (BiConsumer<HttpManagerBuilder, DavSite> c : miltonCustomizers) {
        c.accept(b, site);
      }
      return b.buildHttpManager();
    }
  }
}
