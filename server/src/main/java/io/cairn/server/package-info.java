/**
 * The composition root: reads the configuration, opens the storage backends named by URI scheme,
 * assembles the WebDAV front door, and runs it on a Vert.x HTTP server until SIGTERM.
 */
package io.cairn.server;
