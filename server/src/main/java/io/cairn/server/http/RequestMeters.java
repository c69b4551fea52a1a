package io.cairn.server.http;

import io.cairn.webdav.method.DavMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request metrics of one front door (WebDAV, the admin API, ...), each series tagged with the
 * front's name in {@code front}; recorded by the {@link EdgeRouter} for every
 * front alike:
 *
 * <ul>
 *   <li>{@code cairn_http_requests_total{front,method,status}}: requests ended, status as its class
 *       ({@code 2xx} ... {@code 5xx});
 *   <li>{@code cairn_http_request_duration_seconds{front,method}}: a histogram from arrival to the
 *       end of the response;
 *   <li>{@code cairn_http_received_bytes_total{front,method}}, {@code
 *       cairn_http_sent_bytes_total{front,method}}: request and response body bytes;
 *   <li>{@code cairn_http_requests_active{front}}, {@code cairn_http_uploads_active{front}}:
 *       requests, and PUTs, in progress.
 * </ul>
 *
 * Methods outside {@link DavMethod} and a few common unserved ones are labelled {@code OTHER}, so a client cannot grow the
 * number of series.
 */
public final class RequestMeters {
  static final String REQUESTS = "cairn.http.requests";
  static final String DURATION = "cairn.http.request.duration";
  /**
   * Request duration buckets, 1 ms to 5 minutes: a small GET or PROPFIND answers in a few
   * milliseconds, a large upload or download takes minutes. 16 bounds and +Inf per series, where
   * Micrometer's percentile histogram published about 100.
   */
  static final java.time.Duration[] BUCKETS = io.cairn.storage.metered.LatencyBuckets.seconds(
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);
  static final String RECEIVED = "cairn.http.received.bytes";
  static final String SENT = "cairn.http.sent.bytes";

  /** Methods Cairn does not serve but labels by name: common ones that clients and scanners try. */
  private static final Set<String> UNSERVED = Set.of("POST", "TRACE", "PATCH", "ACL", "SEARCH", "CONNECT");

  /** The front of WebDAV requests. */
  public static final String WEBDAV = "webdav";

  private final MeterRegistry registry;
  private final String front;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final Map<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  /** Records WebDAV's requests into {@code registry}. */
  public RequestMeters(MeterRegistry registry) {
    this(registry, WEBDAV);
  }

  /** Records the requests of the front door named {@code front} into {@code registry}. */
  public RequestMeters(MeterRegistry registry, String front) {
    this.registry = registry;
    this.front = front;
    Gauge.builder("cairn.http.requests.active", active, AtomicInteger::get)
        .description("Requests in progress")
        .tag("front", front)
        .register(registry);
    Gauge.builder("cairn.http.uploads.active", uploads, AtomicInteger::get)
        .description("PUT requests in progress (uploads)")
        .tag("front", front)
        .register(registry);
  }

  /** Meters that record nowhere, for a front door built without a registry. */
  public static RequestMeters none() {
    return new RequestMeters(new CompositeMeterRegistry());
  }

  /** The method label of {@code name}: itself if HTTP or WebDAV defines it, else {@code OTHER}. */
  public static String method(String name) {
    return DavMethod.named(name) != null || UNSERVED.contains(name) ? name : "OTHER";
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
  }

  /** A request with method label {@code method} arrived. */
  public void started(String method) {
    active.incrementAndGet();
    if ("PUT".equals(method)) {
      uploads.incrementAndGet();
    }
  }

  /** A request {@link #started} ended: its status, body bytes each way and time since arrival. */
  public void ended(String method, int status, long received, long sent, long nanos) {
    active.decrementAndGet();
    if ("PUT".equals(method)) {
      uploads.decrementAndGet();
    }
    // Builder.register looks the meter up by name and tags every time; keep what it returned.
    MethodMeters m = byMethod.computeIfAbsent(method, this::methodMeters);
    m.requests.computeIfAbsent(statusClass(status), c -> requests(method, c)).increment();
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
    m.received.increment(received);
    m.sent.increment(sent);
  }

  /** The meters of one method label, registered when the first request with it ends. */
  private record MethodMeters(
      Timer duration, Counter received, Counter sent, Map<String, Counter> requests) {}

  private MethodMeters methodMeters(String method) {
    Timer duration =
        Timer.builder(DURATION)
            .description("Request duration, arrival to end of response")
            .tags("front", front, "method", method)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    return new MethodMeters(
        duration,
        bytes(RECEIVED, "Request body bytes received", method),
        bytes(SENT, "Response body bytes sent", method),
        new ConcurrentHashMap<>());
  }

  private Counter requests(String method, String statusClass) {
    return Counter.builder(REQUESTS)
        .description("Requests by front, method and status class")
        .tags("front", front, "method", method, "status", statusClass)
        .register(registry);
  }

  private Counter bytes(String name, String description, String method) {
    return Counter.builder(name).baseUnit("bytes").description(description).tags("front", front, "method", method).register(registry);
  }
}
