package io.cairn.webdav.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Set;
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
 * Methods outside WebDAV's and HTTP's own are labelled {@code OTHER}, so a client cannot grow the
 * number of series.
 */
public final class RequestMeters {
  static final String REQUESTS = "cairn.webdav.requests";
  static final String DURATION = "cairn.webdav.request.duration";
  static final String RECEIVED = "cairn.webdav.received.bytes";
  static final String SENT = "cairn.webdav.sent.bytes";

  private static final Set<String> METHODS =
      Set.of(
          "OPTIONS", "GET", "HEAD", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "PROPFIND", "PROPPATCH",
          "LOCK", "UNLOCK", "POST", "TRACE", "PATCH", "REPORT", "ACL", "SEARCH", "CONNECT");

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();

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
    return METHODS.contains(name) ? name : "OTHER";
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
    Counter.builder(REQUESTS)
        .description("WebDAV requests by method and status class")
        .tags("method", method, "status", statusClass(status))
        .register(registry)
        .increment();
    Timer.builder(DURATION)
        .description("WebDAV request duration, arrival to end of response")
        .tag("method", method)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(300))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    bytes(RECEIVED, "Request body bytes received", method).increment(received);
    bytes(SENT, "Response body bytes sent", method).increment(sent);
  }

  private Counter bytes(String name, String description, String method) {
    return Counter.builder(name).baseUnit("bytes").description(description).tag("method", method).register(registry);
  }
}
