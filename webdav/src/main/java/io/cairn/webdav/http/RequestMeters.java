package io.cairn.webdav.http;

import io.cairn.webdav.method.DavMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request metrics of the WebDAV edge, recorded by {@link DavRequestHandler}:
 *
 * <ul>
 *   <li>{@code cairn_webdav_requests_total{method,status}}: requests ended, status as its class
 *       ({@code 2xx} ... {@code 5xx});
 *   <li>{@code cairn_webdav_request_duration_seconds{method}}: a histogram from arrival to the end
 *       of the response;
 *   <li>{@code cairn_webdav_received_bytes_total{method}}, {@code
 *       cairn_webdav_sent_bytes_total{method}}: request and response body bytes;
 *   <li>{@code cairn_webdav_requests_active}, {@code cairn_webdav_uploads_active}: requests, and
 *       PUTs, in progress.
 * </ul>
 *
 * Methods outside {@link DavMethod} and a few common unserved ones are labelled {@code OTHER}, so a client cannot grow the
 * number of series.
 */
public final class RequestMeters {
  static final String REQUESTS = "cairn.webdav.requests";
  static final String DURATION = "cairn.webdav.request.duration";
  static final String RECEIVED = "cairn.webdav.received.bytes";
  static final String SENT = "cairn.webdav.sent.bytes";

  /** Methods Cairn does not serve but labels by name: common ones that clients and scanners try. */
  private static final Set<String> UNSERVED = Set.of("POST", "TRACE", "PATCH", "REPORT", "ACL", "SEARCH", "CONNECT");

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final Map<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  /** Records into {@code registry}. */
  public RequestMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("cairn.webdav.requests.active", active, AtomicInteger::get)
        .description("WebDAV requests in progress")
        .register(registry);
    Gauge.builder("cairn.webdav.uploads.active", uploads, AtomicInteger::get)
        .description("PUT requests in progress (uploads)")
        .register(registry);
  }

  /** Meters that record nowhere, for a front door built without a registry. */
  public static RequestMeters none() {
    return new RequestMeters(new CompositeMeterRegistry());
  }

  static String method(String name) {
    return DavMethod.named(name) != null || UNSERVED.contains(name) ? name : "OTHER";
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
  }

  void started(String method) {
    active.incrementAndGet();
    if ("PUT".equals(method)) {
      uploads.incrementAndGet();
    }
  }

  void ended(String method, int status, long received, long sent, long nanos) {
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
            .description("WebDAV request duration, arrival to end of response")
            .tag("method", method)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(300))
            .register(registry);
    return new MethodMeters(
        duration,
        bytes(RECEIVED, "Request body bytes received", method),
        bytes(SENT, "Response body bytes sent", method),
        new ConcurrentHashMap<>());
  }

  private Counter requests(String method, String statusClass) {
    return Counter.builder(REQUESTS)
        .description("WebDAV requests by method and status class")
        .tags("method", method, "status", statusClass)
        .register(registry);
  }

  private Counter bytes(String name, String description, String method) {
    return Counter.builder(name).baseUnit("bytes").description(description).tag("method", method).register(registry);
  }
}
