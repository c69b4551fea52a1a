/**
 * Logging through Logback: the {@code log.*} configuration keys applied at start (levels per
 * logger, plain or JSON lines, the access log to a rolling file of its own).
 */
package io.cairn.server.logging;
