package io.cairn.webdav.lock;

import io.cairn.cluster.lock.LockManager;
import io.cairn.webdav.props.LiveProperty;
import io.milton.config.HttpManagerBuilder;
import io.milton.config.InitListener;
import io.milton.http.Filter;
import io.milton.http.HttpManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a milton CE {@link HttpManagerBuilder} into a WebDAV class 2 server (RFC 4918 §18.2): the
 * one entry point of this package.
 *
 * <p>{@link #install} registers an {@link InitListener} on the builder, so the order of the other
 * builder settings does not matter as long as {@code install} is called before {@code init()} or
 * {@code buildHttpManager()}. When milton initializes, the listener:
 *
 * <ul>
 *   <li>appends the lock filter to the builder's filters, after those set before (the error
 *       mapping, share access, root protection) and before the dispatch, which init appends last;
 *   <li>after init, adds the LOCK/UNLOCK extension to the protocols (milton builds its method table
 *       from them when the HttpManager is constructed).
 * </ul>
 *
 * The lock properties are not milton's: {@link #liveProperties} gives them to the site's own
 * registry of live properties, which PROPFIND reads.
 */
public final class LockSupport {
  /**
   * The longest a lock lives without a refresh: one hour. Clients that want longer ({@code
   * Infinite}, or no Timeout header) get this and refresh; a lock left by a vanished client or node
   * is gone within the hour (design invariant 5).
   */
  public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofHours(1);

  /** The largest LOCK body read by default: a lockinfo is a few hundred bytes. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 << 10;

  private LockSupport() {}

  /**
   * {@code DAV:lockdiscovery} and {@code DAV:supportedlock} (RFC 4918 §15.8, §15.10), for the
   * site's live property registry ({@link io.cairn.webdav.props.LiveProperties#with}).
   *
   * @param locks where locks live, the same manager as {@link #install}'s
   * @param targets how lock roots are named in hrefs
   * @param clock the clock {@code locks} uses, for the remaining time shown in {@code DAV:timeout}
   */
  public static List<LiveProperty> liveProperties(LockManager locks, LockTargets targets, Clock clock) {
    return LockProperties.of(
        Objects.requireNonNull(locks, "locks"),
        Objects.requireNonNull(targets, "targets"),
        Objects.requireNonNull(clock, "clock"));
  }

  /**
   * {@link #install(HttpManagerBuilder, LockManager, LockTargets, Clock, Duration, int)} with the
   * default timeout cap and body limit.
   */
  public static void install(
      HttpManagerBuilder builder, LockManager locks, LockTargets targets, Clock clock) {
    install(builder, locks, targets, clock, DEFAULT_MAX_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
  }

  /**
   * Adds LOCK, UNLOCK, the If header and lock enforcement to a builder that has not been initialized yet.
   *
   * @param locks where locks live (local or clustered)
   * @param targets the resource layer's answers about URLs and paths
   * @param clock the clock {@code locks} uses, for the remaining time shown in {@code
   *     DAV:timeout}
   * @param maxTimeout the longest timeout granted; positive
   * @param maxBodyBytes the largest LOCK body read; a larger one is refused with a {@link
   *     io.cairn.webdav.DavException} 413 for the error mapping in front of the lock filter
   * @throws IllegalStateException when the builder is already initialized
   */
  public static void install(
      HttpManagerBuilder builder,
      LockManager locks,
      LockTargets targets,
      Clock clock,
      Duration maxTimeout,
      int maxBodyBytes) {
    Objects.requireNonNull(builder, "builder");
    if (maxTimeout.isZero() || maxTimeout.isNegative()) {
      throw new IllegalArgumentException("the maximum lock timeout must be positive");
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("the LOCK body limit must be positive");
    }
    if (builder.getProtocolHandlers() != null) {
      throw new IllegalStateException("install lock support before the builder's init()");
    }
    LockContext context =
        new LockContext(
            Objects.requireNonNull(locks, "locks"),
            Objects.requireNonNull(targets, "targets"),
            Objects.requireNonNull(clock, "clock"),
            maxTimeout,
            maxBodyBytes);
    List<InitListener> listeners =
        builder.getListeners() == null ? new ArrayList<>() : new ArrayList<>(builder.getListeners());
    listeners.add(new Installer(context));
    builder.setListeners(listeners);
  }

  /** Does the wiring at the two moments milton allows it. */
  private static final class Installer implements InitListener {
    private final LockContext context;
    private boolean protocolsDone;

    Installer(LockContext context) {
      this.context = context;
    }

    @Override
    public void beforeInit(HttpManagerBuilder b) {
      List<Filter> filters = b.getFilters() == null ? new ArrayList<>() : new ArrayList<>(b.getFilters());
      filters.add(new LockFilter(context));
      b.setFilters(filters);
    }

    @Override
    public void beforeProtocolBuild(HttpManagerBuilder b) {}

    @Override
    public void afterInit(HttpManagerBuilder b) {
      if (protocolsDone) {
        return; // buildHttpManager called again on the same builder
      }
      protocolsDone = true;
      b.getProtocols().add(new LockExtension(context));
    }

    @Override
    public void afterBuild(HttpManagerBuilder b, HttpManager m) {}
  }
}
