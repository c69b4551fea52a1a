package io.cairn.webdav;

import io.cairn.files.ChunkSplitter;
import io.cairn.files.FileService;
import io.cairn.cluster.lock.LockManager;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.webdav.auth.RequestAuthenticator;
import io.cairn.webdav.auth.ShareAccessFilter;
import io.cairn.webdav.http.ClientAddress;
import io.cairn.webdav.http.DavRequestHandler;
import io.cairn.webdav.http.RequestMeters;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.lock.LockSupport;
import io.cairn.webdav.method.DavExtension;
import io.cairn.webdav.method.DispatchFilter;
import io.cairn.webdav.method.ErrorFilter;
import io.cairn.webdav.method.RootProtectionFilter;
import io.cairn.webdav.props.LiveProperties;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.files.QuotaPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.AuthenticationService;
import io.milton.http.Filter;
import io.milton.http.HttpExtension;
import io.milton.http.HttpManager;
import io.milton.http.http11.DefaultHttp11ResponseHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The WebDAV front door, assembled: milton's {@link HttpManager} configured through its builder
 * with everything Cairn does not want switched off (response buffering, compression, form, cookie,
 * digest and basic authentication, the JSON gateway, milton's own protocol handlers, URL decoding),
 * Cairn's handlers ({@link DavExtension}), dispatch ({@link DispatchFilter}) and error mapping
 * ({@link ErrorFilter}, first in the chain) in their place,
 * and the Vert.x request handler that feeds it from virtual threads.
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
  private final ExecutorService requests;
  private final ExecutorService workers;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final RequestMeters meters;
  private final RequestAuthenticator authenticator;
  private final Consumer<String> accessLog;
  private final ClientAddress clients;

  private CairnDav(
      DavSite site,
      HttpManager manager,
      ExecutorService requests,
      ExecutorService workers,
      RequestMeters meters,
      RequestAuthenticator authenticator,
      Consumer<String> accessLog,
      ClientAddress clients) {
    this.site = site;
    this.manager = manager;
    this.requests = requests;
    this.workers = workers;
    this.meters = meters;
    this.authenticator = authenticator;
    this.accessLog = accessLog;
    this.clients = clients;
  }

  public static Builder builder(Journal journal, ChunkStore chunks, ChunkSplitter splitter) {
    return new Builder(journal, chunks, splitter);
  }

  /** The site: mount, storage, live properties, limits. */
  public DavSite site() {
    return site;
  }

  /**
   * The handler to give a Vert.x HTTP server. The server must leave {@code Expect: 100-continue} to
   * it ({@code HttpServerOptions.setHandle100ContinueAutomatically(false)}, the default): a request
   * refused before its body is read is then answered without a {@code 100 Continue}.
   */
  public Handler<HttpServerRequest> requestHandler() {
    return new DavRequestHandler(manager, requests, active, completed, meters, authenticator, accessLog, clients);
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
   * Stops taking requests and waits up to {@code grace} for those in progress to finish. Does not
   * close the journal or the chunk store: their owner does.
   */
  public void shutdown(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    requests.shutdown();
    try {
      if (!requests.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        requests.shutdownNow();
      }
      // A request's thread ends before the event loop has written its response's end.
      while (active.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      requests.shutdownNow();
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
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
    private RequestAuthenticator authenticator;
    private QuotaPolicy quota = QuotaPolicy.NONE;
    private int uploadChunksInFlight = 4;
    private int readAheadChunks = 2;
    private int maxXmlBodyBytes = 1 << 20;
    private RequestMeters meters;
    private Consumer<String> accessLog;
    private ClientAddress clients = ClientAddress.peerOnly();
    private final List<Function<DavSite, HttpExtension>> extensions = new ArrayList<>();
    private final List<Function<DavSite, Filter>> filters = new ArrayList<>();
    private final List<LiveProperty> liveProperties = new ArrayList<>();
    private final List<BiConsumer<HttpManagerBuilder, DavSite>> miltonCustomizers = new ArrayList<>();
    private LockManager locks;
    private Clock lockClock;

    private Builder(Journal journal, ChunkStore chunks, ChunkSplitter splitter) {
      this.journal = journal;
      this.chunks = chunks;
      this.splitter = splitter;
    }

    /** The namespace every URL maps to; created at start when missing. Default "default". */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /**
     * Requires authentication on every request but OPTIONS and shows each user their home
     * namespace instead of {@link #namespace}; see {@link io.cairn.webdav.auth}.
     */
    public Builder authenticator(RequestAuthenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /**
     * Who a request is from, for the authenticator and the access log; by default the TCP peer,
     * whatever forwarding headers say.
     */
    public Builder clientAddress(ClientAddress clients) {
      this.clients = clients;
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

    /**
     * Where the access lines go (one {@code key=value} line per request, while the logger {@code
     * io.cairn.access} is on); by default that logger, a line at a time.
     */
    public Builder accessLog(Consumer<String> sink) {
      this.accessLog = sink;
      return this;
    }

    /**
     * Where the request metrics go ({@link RequestMeters}); by default nowhere. Wrap the journal
     * and chunk store in {@code io.cairn.storage.metered} for theirs.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = new RequestMeters(registry);
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
      ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cairn-dav-", 0).factory());
      FileService files = new FileService(journal, chunks, splitter, quota, uploadChunksInFlight, readAheadChunks, workers);
      DavMount mount = authenticator == null ? new DavMount(namespace) : DavMount.perUser();
      LiveProperties properties = LiveProperties.standard(files).with(liveProperties);
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
      if (authenticator == null) {
        files.ensureNamespace(namespace);
      }
      return new CairnDav(
          site, manager(site, classTwo), requests, workers, meters == null ? RequestMeters.none() : meters,
          authenticator, accessLog, clients);
    }

    /** milton for dispatch and the filter chain only, everything else of its own turned off (ADR 0006). */
    private HttpManager manager(DavSite site, LockSupport classTwo) {
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
      if (authenticator != null) {
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
