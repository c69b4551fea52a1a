package io.cairn.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The edge's own metrics, beside what they measure: {@code cairn_http_connections_open} (counted
 * from accept), {@code cairn_http_connections_refused_total} (past a connection cap), {@code
 * cairn_http_timeouts_total{phase}} (connections closed for a slow head or body) and {@code
 * cairn_http_malformed_requests_total{status}} (heads refused before any handler saw them).
 */
public final class EdgeMeters implements RequestGate.Events {
  private final Counter refused;
  private final Counter headTimeouts;
  private final Counter bodyTimeouts;
  private final Map<Integer, Counter> malformed = new HashMap<>();

  public EdgeMeters(MeterRegistry registry, ConnectionLimits connections) {
    Gauge.builder("cairn.http.connections.open", connections, ConnectionLimits::open)
        .description("HTTP connections open on the WebDAV port, from accept")
        .register(registry);
    refused = Counter.builder("cairn.http.connections.refused")
        .description("Connections answered 503 and closed for passing a connection cap")
        .register(registry);
    headTimeouts = timeouts(registry, "head");
    bodyTimeouts = timeouts(registry, "body");
    for (int status : new int[] {400, 414, 431, 501, 505}) {
      malformed.put(status, Counter.builder("cairn.http.malformed.requests")
          .description("Requests refused for their head (framing, syntax, size) before any handler saw them")
          .tag("status", Integer.toString(status))
          .register(registry));
    }
  }

  private static Counter timeouts(MeterRegistry registry, String phase) {
    return Counter.builder("cairn.http.timeouts")
        .description("Connections closed for a request head not complete in time, or a body slower than the minimum rate")
        .tag("phase", phase)
        .register(registry);
  }

  @Override
  public void connectionRefused() {
    refused.increment();
  }

  @Override
  public void timedOut(String phase) {
    (phase.equals("head") ? headTimeouts : bodyTimeouts).increment();
  }

  /** Counts a request refused for its head, by the status it was answered. */
  public void malformed(int status) {
    malformed.getOrDefault(status, malformed.get(400)).increment();
  }
}
