/**
 * Operations: the Prometheus registry with the JVM and process binders, Vert.x's own metrics, the
 * open-connections gauge, and the management HTTP server that serves {@code /metrics}, {@code
 * /healthz} and {@code /readyz} on its own port (docs/adr/0004-management-port.md). The meters of
 * storage, cluster and WebDAV are declared in those modules; docs/metrics.md lists every one.
 */
package io.cairn.server.metrics;
