package io.cairn.server.http;

import java.time.Duration;

/**
 * What one client may hold of the server: connections, time and bytes (configuration keys {@code
 * http.*}, documented in {@code conf/cairn.properties}).
 *
 * @param maxConnections open connections in total; more are answered 503 and closed
 * @param maxConnectionsPerAddress open connections from one client address (0: no limit)
 * @param headTimeout time from a connection's start, or from the first byte of a later request,
 *     until its head (request line and headers) is complete; past it the connection is closed
 * @param idleTimeout time a connection may stay silent in both directions between requests
 * @param bodyMinBytesPerSecond a request body must arrive at least this fast, measured over
 *     {@code bodyRateWindow} while the server is reading (0: no minimum)
 * @param bodyRateWindow the window of that measurement
 * @param maxRequestLine longest request line, bytes (414 past it)
 * @param maxHeadBytes longest request head, bytes (431 past it)
 */
public record HttpLimits(
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration headTimeout,
    Duration idleTimeout,
    long bodyMinBytesPerSecond,
    Duration bodyRateWindow,
    int maxRequestLine,
    int maxHeadBytes) {

  /** The defaults of {@code conf/cairn.properties}. */
  public static HttpLimits defaults() {
    return new HttpLimits(
        2048, 256, Duration.ofSeconds(20), Duration.ofSeconds(120), 1024, Duration.ofSeconds(20), 8192, 32 << 10);
  }
}
