/**
 * {@code cairn backup}: a consistent copy of the embedded default storage (SQLite journal and local
 * chunk directory) taken beside a running server, which a server can start on directly.
 */
package io.cairn.server.backup;
